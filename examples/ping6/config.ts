// device-usage/ping6: a raw IPv6 listener over the interface, its Ethernet and IPv6 layers.
import { apply, ethernet, fn, ipv6, job, main, network, pkg, register } from "unik";
import { defaultNetwork } from "unik/plugins/network.ts";
import { ethif } from "unik/plugins/ethernet.ts";
import { createIpv6 } from "unik/plugins/ip.ts";

const eth = ethif(defaultNetwork);
const app = main("Unikernel.Main", fn(network, ethernet, ipv6, job), {
  packages: [pkg("ethernet", { min: "3.0.0" }), pkg("tcpip", { min: "7.0.0" })],
});

export default register("ping", [apply(app, defaultNetwork, eth, createIpv6(defaultNetwork, eth))]);
