// applications/dns: resolves --domain-name with the DNS client over happy eyeballs.
import { apply, dnsClient, fn, job, main, register } from "unik";
import { defaultNetwork } from "unik/plugins/network.ts";
import { genericStackv4v6 } from "unik/plugins/stack.ts";
import { genericHappyEyeballs } from "unik/plugins/happy_eyeballs.ts";
import { genericDnsClient } from "unik/plugins/dns.ts";

const stack = genericStackv4v6(defaultNetwork);
const he = genericHappyEyeballs(stack);
const app = main("Unikernel.Make", fn(dnsClient, job));

export default register("resolve", [apply(app, genericDnsClient(stack, he))]);
