/**
 * Qubes DB, where a qube reads its network configuration. Xen and Qubes only.
 * @module
 */

import { type Impl, impl, pkg, qubesdb } from "../lib/mod.ts";

/** The qube's Qubes DB. */
export const defaultQubesdb: Impl<"qubesdb"> = impl("Qubes.DB", qubesdb, {
  packages: [pkg("mirage-qubes", { min: "2.0.0", max: "3.0.0" })],
  connect: (_i, m) => `${m}.connect ~domid:0 ()`,
  targets: ["xen", "qubes"],
});
