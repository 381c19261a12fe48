/**
 * HTTP servers and clients: cohttp and httpaf over conduit, paf over TCP, and the
 * http-mirage-client over mimic.
 * @module
 */

import {
  alpnClient,
  apply,
  conduit,
  fn,
  http,
  httpClient,
  httpServer,
  type Impl,
  impl,
  mimic,
  pkg,
  resolver,
  type RuntimeArg,
  tcpv4v6,
} from "../lib/mod.ts";
import { checkArgs, deviceOf, optionsOf, required, RUNTIME_ARG } from "../lib/dsl/args.ts";

const COHTTP_MIRAGE = pkg("cohttp-mirage", { min: "6.1.0", max: "7.0.0" });

const cohttpServerFunctor = impl("Cohttp_mirage.Server.Make", fn(conduit, http), {
  packages: [COHTTP_MIRAGE],
  connect: (_i, m, [c]) => `Lwt.return (${m}.listen ${c})`,
});

/** A cohttp server over conduit. */
export function cohttpServer(c: Impl<"conduit">): Impl<"http"> {
  checkArgs(cohttpServer, [c], [["c", deviceOf(conduit)]]);
  return apply(cohttpServerFunctor, c);
}

/** An httpaf server over conduit. */
export function httpafServer(c: Impl<"conduit">): Impl<"http"> {
  checkArgs(httpafServer, [c], [["c", deviceOf(conduit)]]);
  return impl("Httpaf_mirage.Server_with_conduit", http, {
    packages: [pkg("httpaf-mirage")],
    extraDeps: [c],
    connect: (_i, m, [cv]) => `Lwt.return (${m}.listen ${cv})`,
  });
}

const cohttpClientFunctor = impl("Cohttp_mirage.Client.Make", fn(resolver, conduit, httpClient), {
  packages: [COHTTP_MIRAGE],
  connect: (_i, m, [r, c]) => `Lwt.return (${m}.ctx ${r} ${c})`,
});

/** A cohttp client context. */
export function cohttpClient(r: Impl<"resolver">, c: Impl<"conduit">): Impl<"http_client"> {
  checkArgs(cohttpClient, [r, c], [["r", deviceOf(resolver)], ["c", deviceOf(conduit)]]);
  return apply(cohttpClientFunctor, r, c);
}

/** Options of {@link pafServer}. */
export interface PafServerOptions {
  /** The port, a boot argument (e.g. `runtimeArg<number>("Unikernel.port")`). */
  readonly port: RuntimeArg<number>;
}

/** A paf (HTTP/1.1 and H2) server on TCP `--port`. */
export function pafServer(tcp: Impl<"tcpv4v6">, options: PafServerOptions): Impl<"http_server"> {
  checkArgs(pafServer, [tcp, options], [["tcp", deviceOf(tcpv4v6)], [
    "options",
    optionsOf({ port: required(RUNTIME_ARG, 'port: runtimeArg<number>("Unikernel.port")') }),
  ]]);
  const functor = impl("Paf_mirage.Make", fn(tcpv4v6, httpServer), {
    packages: [pkg("paf", { min: "0.8.0", max: "0.9.0", sublibs: ["mirage"] })],
    runtimeArgs: [options.port],
    connect: (_i, m, [t, port]) => `${m}.init ~port:${port} ${t}`,
  });
  return apply(functor, tcp);
}

const pafClientFunctor = impl("Http_mirage_client.Make", fn(tcpv4v6, mimic, alpnClient), {
  packages: [pkg("http-mirage-client", { min: "0.0.9", max: "0.1.0" })],
  connect: (_i, m, [_t, mi]) => `${m}.connect ${mi}`,
});

/** An HTTP client (HTTP/1.1 and H2 by ALPN) over mimic. */
export function pafClient(tcp: Impl<"tcpv4v6">, mi: Impl<"mimic">): Impl<"alpn_client"> {
  checkArgs(pafClient, [tcp, mi], [["tcp", deviceOf(tcpv4v6)], ["mi", deviceOf(mimic)]]);
  return apply(pafClientFunctor, tcp, mi);
}
