/**
 * Mimic contexts: connections resolved by DNS and established by happy eyeballs.
 * @module
 */

import {
  apply,
  dnsClient,
  fn,
  happyEyeballs,
  type Impl,
  impl,
  mimic,
  pkg,
  stackv4v6,
} from "../lib/mod.ts";
import { checkArgs, deviceOf } from "../lib/dsl/args.ts";

const mimicFunctor = impl(
  "Mimic_happy_eyeballs.Make",
  fn(stackv4v6, happyEyeballs, dnsClient, mimic),
  {
    packages: [pkg("mimic-happy-eyeballs", { min: "0.0.9" })],
    connect: (_i, m, [_s, he]) => `${m}.connect ${he}`,
  },
);

/** A mimic context over happy eyeballs. */
export function mimicHappyEyeballs(
  stack: Impl<"stackv4v6">,
  he: Impl<"happy_eyeballs">,
  dns: Impl<"dns_client">,
): Impl<"mimic"> {
  checkArgs(mimicHappyEyeballs, [stack, he, dns], [["stack", deviceOf(stackv4v6)], [
    "he",
    deviceOf(happyEyeballs),
  ], ["dns", deviceOf(dnsClient)]]);
  return apply(mimicFunctor, stack, he, dns);
}
