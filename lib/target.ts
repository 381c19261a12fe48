/**
 * What a target contributes to a unikernel. Each target family lives in `targets/`; the engine
 * only reads this interface, so adding a target never touches the engine.
 * @module
 */

import type { Package } from "./dsl/package.ts";
import type { Launcher } from "./toolchain/launch.ts";

/** The back-end family of a target: decides the predefined `Key.is*` values. */
export type TargetFamily = "unix" | "solo5" | "xen" | "unikraft";

/** The networks and blocks the graph registered at configure time, in registration order. */
export interface Resources {
  /** Network names, newest first (as mirage's manifest lists them). */
  readonly networks: readonly string[];
  /** Block names with their numbers (from 1). */
  readonly blocks: readonly { readonly name: string; readonly number: number }[];
}

/** Build facts a target needs to generate its files. */
export interface TargetInfo {
  /** The register name. */
  readonly name: string;
  /** The artifact's base name: the `-o` value or the register name. */
  readonly publicName: string;
  /** Main module (`main` or the `-o` value). */
  readonly mainModule: string;
  /** ocamlfind libraries to link, sorted. */
  readonly libraries: readonly string[];
  /** Stem of the host's network bridges (`xenbr`, `br`, `virbr`), for Xen's `.xl`. */
  readonly bridge: string;
}

/** A target platform. */
export interface Target {
  /** The `-t` value. */
  readonly name: string;
  /** The back-end family. */
  readonly family: TargetFamily;
  /** One line for `unik configure --help`. */
  readonly description: string;
  /** The OCaml module whose `Main.run` drives Lwt (`Unix_os`, `Solo5_os`, ...). */
  readonly osModule: string;
  /** The dune context the unikernel is built in (`default`, `solo5`, `unikraft`). */
  readonly context: string;
  /** The artifact extension (`""` or `.hvt`, `.xen`, ...). */
  readonly extension: string;
  /** Runtime and build-only packages the target adds. */
  readonly packages: readonly Package[];
  /** Extra dune-workspace context stanzas. */
  readonly workspaceContexts: readonly string[];
  /** The target's stanzas for `dune.build` (executable, rename rule, ...). */
  dune(info: TargetInfo): string[];
  /** Installed files (relative to dist/). */
  install(info: TargetInfo): { bin: [string, string][]; etc: string[] };
  /** Extra generated files (name in `mirage/` to contents). */
  files(info: TargetInfo, resources: Resources): Map<string, string>;
  /** How `unik run` starts the artifact; absent where unik cannot (muen, genode). */
  readonly launch?: Launcher;
  /** Why there is no launcher, and what to do instead. */
  readonly noLaunch?: string;
}
