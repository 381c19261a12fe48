// device-usage/network: a TCP listener on --port; sockets on Unix unless --net=direct.
import { apply, fn, job, main, register, stackv4v6 } from "unik";
import { defaultNetwork } from "unik/plugins/network.ts";
import { genericStackv4v6 } from "unik/plugins/stack.ts";

const app = main("Unikernel.Main", fn(stackv4v6, job));

export default register("network", [apply(app, genericStackv4v6(defaultNetwork))]);
