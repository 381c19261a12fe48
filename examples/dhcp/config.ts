// applications/dhcp: a DHCP server on the raw interface.
import { apply, fn, job, main, network, pkg, register } from "unik";
import { defaultNetwork } from "unik/plugins/network.ts";

const app = main("Unikernel.Main", fn(network, job), {
  packages: [
    pkg("charrua", { min: "1.6.0" }),
    pkg("charrua-server", { min: "2.1.0" }),
    pkg("arp", { min: "3.0.0", sublibs: ["mirage"] }),
    pkg("ethernet", { min: "3.0.0" }),
  ],
});

export default register("dhcp", [apply(app, defaultNetwork)]);
