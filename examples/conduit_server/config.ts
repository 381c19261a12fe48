// device-usage/conduit_server: an HTTP server on port 80 over conduit.
import { apply, conduit, fn, job, main, pkg, register } from "unik";
import { defaultNetwork } from "unik/plugins/network.ts";
import { genericStackv4v6 } from "unik/plugins/stack.ts";
import { conduitDirect } from "unik/plugins/conduit.ts";

const app = main("Unikernel.Main", fn(conduit, job), { packages: [pkg("cohttp-mirage")] });

export default register("conduit_server", [
  apply(app, conduitDirect(genericStackv4v6(defaultNetwork))),
]);
