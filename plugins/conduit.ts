/**
 * Conduit (`Conduit_mirage.S`): TCP connections over a stack, optionally with TLS.
 * @module
 */

import { apply, conduit, fn, type Impl, impl, pkg, stackv4v6 } from "../lib/mod.ts";
import { BOOLEAN, checkArgs, deviceOf, optionsOf } from "../lib/dsl/args.ts";

const CONDUIT_MIRAGE = pkg("conduit-mirage", { min: "8.0.0", max: "9.0.0" });

const tcpConduit = impl("Conduit_mirage.TCP", fn(stackv4v6, conduit), {
  packages: [CONDUIT_MIRAGE],
  connect: (_i, _m, [s]) => `Lwt.return ${s}`,
});

const tlsConduit = impl("Conduit_mirage.TLS", fn(conduit, conduit), {
  packages: [CONDUIT_MIRAGE, pkg("tls-mirage", { min: "2.0.0", max: "3.0.0" })],
  connect: (_i, _m, [c]) => `Lwt.return ${c}`,
});

/** Options of {@link conduitDirect}. */
export interface ConduitOptions {
  /** Add TLS on top of TCP. */
  readonly tls?: boolean;
}

/** Conduit over `stack`'s TCP, with TLS if asked. */
export function conduitDirect(
  stack: Impl<"stackv4v6">,
  options: ConduitOptions = {},
): Impl<"conduit"> {
  checkArgs(conduitDirect, [stack, options], [["stack", deviceOf(stackv4v6)], [
    "options",
    optionsOf({ tls: BOOLEAN }),
  ]]);
  const tcp = apply(tcpConduit, stack);
  return options.tls ? apply(tlsConduit, tcp) : tcp;
}
