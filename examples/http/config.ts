// applications/http: an HTTP/1.1 and H2 server (paf) with a custom device type and a port
// given at boot (-p/--port).
import {
  apply,
  fn,
  httpServer,
  impl,
  job,
  kvRo,
  main,
  mimic,
  pkg,
  register,
  runtimeArg,
  tcpv4v6,
  typ,
} from "unik";
import { defaultNetwork } from "unik/plugins/network.ts";
import { genericStackv4v6, tcpv4v6OfStackv4v6 } from "unik/plugins/stack.ts";
import { genericHappyEyeballs } from "unik/plugins/happy_eyeballs.ts";
import { genericDnsClient } from "unik/plugins/dns.ts";
import { mimicHappyEyeballs } from "unik/plugins/mimic.ts";
import { crunch } from "unik/plugins/kv.ts";
import { pafServer } from "unik/plugins/http.ts";

const conn = typ("conn");
const connect = impl("Connect.Make", fn(tcpv4v6, mimic, conn), {
  connect: (_info, m, [_tcp, ctx]) => `${m}.connect ${ctx}`,
});

const stack = genericStackv4v6(defaultNetwork);
const tcp = tcpv4v6OfStackv4v6(stack);
const he = genericHappyEyeballs(stack);
const dns = genericDnsClient(stack, he);
const port = runtimeArg<number>("Unikernel.port");

const minipaf = main("Unikernel.Make", fn(kvRo, kvRo, tcpv4v6, conn, httpServer, job), {
  packages: [
    pkg("digestif"),
    pkg("mimic-happy-eyeballs", { min: "0.0.9" }),
    pkg("hxd", { sublibs: ["core", "string"] }),
    pkg("rresult"),
    pkg("h2", { min: "0.13.0" }),
    pkg("base64", { sublibs: ["rfc2045"] }),
  ],
});

export default register("minipaf", [
  apply(
    minipaf,
    crunch("certificates"),
    crunch("keys"),
    tcp,
    apply(connect, tcp, mimicHappyEyeballs(stack, he, dns)),
    pafServer(tcp, { port }),
  ),
]);
