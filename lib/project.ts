/**
 * The root of every unikernel graph (mirage's `Project.create`): a job named `Mirage_runtime`
 * depending on the start-up jobs and the user's jobs, carrying the target's packages.
 * @module
 */

import { type Impl, impl } from "./dsl/impl.ts";
import { value } from "./dsl/key.ts";
import { type Package, pkg } from "./dsl/package.ts";
import { Key } from "./dsl/predefined.ts";
import { job } from "./dsl/typ.ts";
import type { Registration } from "./register.ts";
import { findTarget } from "../targets/mod.ts";

/** The version of the MirageOS runtime unik generates code for. */
export const MIRAGE_RUNTIME_RANGE = { min: "4.9.0", max: "4.10.0" } as const;

/** Packages every unikernel needs whatever its target. */
export const COMMON_PACKAGES: readonly Package[] = [
  pkg("lwt"),
  pkg("mirage-runtime", MIRAGE_RUNTIME_RANGE),
  pkg("opam-monorepo", { min: "0.3.2", scope: "switch", build: true }),
];

/** The root job of a registration's graph. */
export function projectRoot(registration: Registration): Impl<"job"> {
  return impl("Mirage_runtime", job, {
    keys: [Key.target],
    packagesV: value(Key.target).map((t) => [
      ...(findTarget(t)?.packages ?? []),
      ...COMMON_PACKAGES,
    ]),
    extraDeps: [...registration.init, ...registration.jobs],
    connect: () => ({ code: "return ()" }),
  });
}
