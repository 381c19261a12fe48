// device-usage/http-fetch: fetches --uri with cohttp over TLS, resolving names by DNS.
import { apply, fn, httpClient, job, main, pkg, register } from "unik";
import { defaultNetwork } from "unik/plugins/network.ts";
import { genericStackv4v6 } from "unik/plugins/stack.ts";
import { resolverDns } from "unik/plugins/resolver.ts";
import { conduitDirect } from "unik/plugins/conduit.ts";
import { cohttpClient } from "unik/plugins/http.ts";

const stack = genericStackv4v6(defaultNetwork);
const client = main("Unikernel.Client", fn(httpClient, job), {
  packages: [pkg("cohttp-mirage"), pkg("duration")],
});

export default register("http-fetch", [
  apply(client, cohttpClient(resolverDns(stack), conduitDirect(stack, { tls: true }))),
]);
