/**
 * Ethernet (`Ethernet.S`) over a network interface.
 * @module
 */

import { apply, ethernet, fn, type Impl, impl, network, notice, pkg } from "../lib/mod.ts";
import { checkArgs, deviceOf } from "../lib/dsl/args.ts";

const ethernetFunctor = impl("Ethernet.Make", fn(network, ethernet), {
  packages: [pkg("ethernet", { min: "3.0.0", max: "4.0.0" })],
  connect: (_i, m, [net]) => `${m}.connect ${net}`,
});

/** Ethernet framing over `net`. Applied twice to one interface, it is one device. */
export function ethif(net: Impl<"network">): Impl<"ethernet"> {
  checkArgs(ethif, [net], [["net", deviceOf(network)]]);
  return apply(ethernetFunctor, net);
}

/** @deprecated Use {@link ethif}. */
export function etif(net: Impl<"network">): Impl<"ethernet"> {
  checkArgs(etif, [net], [["net", deviceOf(network)]]);
  notice("warning: etif is deprecated, use ethif instead");
  return ethif(net);
}
