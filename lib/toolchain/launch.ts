/**
 * What starting a unikernel needs: the artifact, the devices its graph registered and how the
 * host provides them (tap interfaces, image files), memory and boot arguments.
 * @module
 */

import type { Command } from "./process.ts";

/** The input of a target's launcher. */
export interface LaunchInput {
  /** Project root (absolute). */
  readonly root: string;
  /** The artifact, relative to the root (`dist/hello.hvt`). */
  readonly artifact: string;
  /** The register name. */
  readonly name: string;
  /** Network device name to host tap interface, in the graph's order. */
  readonly networks: readonly (readonly [string, string])[];
  /** Block device name to image file (absolute), in the graph's order. */
  readonly blocks: readonly (readonly [string, string])[];
  /** Memory in MiB. */
  readonly memory: number;
  /** Boot arguments. */
  readonly args: readonly string[];
  /** A scratch directory for generated runner files. */
  readonly scratch: string;
}

/** How to start a unikernel: a command, and files to write first. */
export interface Launch {
  /** The command; its exit code is the unikernel's. */
  readonly command: Command;
  /** Files to write before starting (absolute path to contents). */
  readonly files?: ReadonlyMap<string, string>;
}

/** A target's launcher. */
export type Launcher = (input: LaunchInput) => Launch;
