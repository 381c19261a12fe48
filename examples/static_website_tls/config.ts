// applications/static_website_tls: serves htdocs/ over HTTPS with the certificate in tls/;
// each store has its own key (--data-kv_ro, --certs-kv_ro).
import { apply, fn, http, job, kvRo, main, pkg, register, value } from "unik";
import { defaultNetwork } from "unik/plugins/network.ts";
import { genericStackv4v6 } from "unik/plugins/stack.ts";
import { genericKvRo, kvRoKey } from "unik/plugins/kv.ts";
import { conduitDirect } from "unik/plugins/conduit.ts";
import { cohttpServer } from "unik/plugins/http.ts";

const stack = genericStackv4v6(defaultNetwork);
const data = genericKvRo("htdocs", { key: value(kvRoKey("data")) });
const certs = genericKvRo("tls", { key: value(kvRoKey("certs")) });
const server = cohttpServer(conduitDirect(stack, { tls: true }));
const app = main("Dispatch.HTTPS", fn(kvRo, kvRo, http, job), {
  packages: [pkg("uri"), pkg("magic-mime")],
});

export default register("https", [apply(app, data, certs, server)]);
