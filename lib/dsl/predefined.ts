/**
 * The predefined keys every config can read: the target and the target-family tests.
 * @module
 */

import { findTarget, TARGET_NAMES } from "../../targets/mod.ts";
import type { TargetFamily } from "../target.ts";
import { type Key as ConfigKey, key, type Value, value } from "./key.ts";

const target: ConfigKey<string> = key({
  name: "target",
  type: "enum",
  values: TARGET_NAMES,
  default: "unix",
  short: "t",
  env: "MODE",
  docv: "TARGET",
  docs: "UNIK PARAMETERS",
  doc: "Target platform to compile the unikernel for.",
});

const family: Value<TargetFamily> = value(target).map((t) => findTarget(t)?.family ?? "unix");
const isFamily = (f: TargetFamily): Value<boolean> => family.map((x) => x === f);

/** Predefined keys and values: `Key.target`, `Key.isUnix`, `Key.isSolo5`, `Key.isXen`, ... */
export const Key: {
  /** `-t/--target`: the target platform. */
  readonly target: ConfigKey<string>;
  /** The target's family (`unix`, `solo5`, `xen`, `unikraft`). */
  readonly family: Value<TargetFamily>;
  /** The target is `unix` or `macosx`. */
  readonly isUnix: Value<boolean>;
  /** The target is a Solo5 one (`hvt`, `spt`, `virtio`, `muen`, `genode`). */
  readonly isSolo5: Value<boolean>;
  /** The target is `xen` or `qubes`. */
  readonly isXen: Value<boolean>;
  /** The target is a Unikraft one. */
  readonly isUnikraft: Value<boolean>;
} = {
  target,
  family,
  isUnix: isFamily("unix"),
  isSolo5: isFamily("solo5"),
  isXen: isFamily("xen"),
  isUnikraft: isFamily("unikraft"),
};

/** A configure-time key whose value has type `T` (see {@link key}). */
export type Key<T> = ConfigKey<T>;
