/**
 * ARP (`Arp.S`) over Ethernet.
 * @module
 */

import { apply, arpv4, ethernet, fn, type Impl, impl, pkg } from "../lib/mod.ts";
import { checkArgs, deviceOf } from "../lib/dsl/args.ts";

const arpFunctor = impl("Arp.Make", fn(ethernet, arpv4), {
  packages: [pkg("arp", { min: "4.0.0", max: "5.0.0", sublibs: ["mirage"] })],
  connect: (_i, m, [eth]) => `${m}.connect ${eth}`,
});

/** ARP over `eth`. Applied twice to one Ethernet device, it is one device. */
export function arp(eth: Impl<"ethernet">): Impl<"arpv4"> {
  checkArgs(arp, [eth], [["eth", deviceOf(ethernet)]]);
  return apply(arpFunctor, eth);
}
