/**
 * Every target unik knows, in the order `unik configure --help` lists them.
 * @module
 */

import type { Target } from "../lib/target.ts";
import { unixTargets } from "./unix.ts";

/** All targets. */
export const TARGETS: readonly Target[] = [...unixTargets];

/** The target named `name`, if any. */
export function findTarget(name: string): Target | undefined {
  return TARGETS.find((t) => t.name === name);
}

/** The names of all targets. */
export const TARGET_NAMES: readonly string[] = TARGETS.map((t) => t.name);
