/**
 * Every target unik knows, in the order `unik configure --help` lists them.
 * @module
 */

import type { Target } from "../lib/target.ts";
import { unixTargets } from "./unix.ts";
import { solo5Targets } from "./solo5.ts";
import { xenTargets } from "./xen.ts";
import { unikraftTargets } from "./unikraft.ts";

const ALL: readonly Target[] = [...unixTargets, ...solo5Targets, ...xenTargets, ...unikraftTargets];

/** mirage's order of targets (`-t` help and errors list them so), then the Unikraft ones. */
const ORDER = [
  "unix",
  "macosx",
  "xen",
  "virtio",
  "hvt",
  "muen",
  "qubes",
  "genode",
  "spt",
  "unikraft-qemu",
  "unikraft-firecracker",
];

/** All targets. */
export const TARGETS: readonly Target[] = [
  ...ORDER.flatMap((n) => ALL.filter((t) => t.name === n)),
  ...ALL.filter((t) => !ORDER.includes(t.name)),
];

/** The target named `name`, if any. */
export function findTarget(name: string): Target | undefined {
  return TARGETS.find((t) => t.name === name);
}

/** The names of all targets. */
export const TARGET_NAMES: readonly string[] = TARGETS.map((t) => t.name);
