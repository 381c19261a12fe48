/**
 * What starting a unikernel needs: the artifact, the devices of its manifest and how the host
 * provides them (tap interfaces, image files), memory, boot arguments and, for QEMU, whether
 * KVM can be used.
 * @module
 */

import type { Command } from "./process.ts";

/** A network device of the unikernel and the host interface it is attached to. */
export interface NetAttachment {
  /** The device name (the manifest's). */
  readonly name: string;
  /** The host interface (a tap). */
  readonly iface: string;
  /** The guest's MAC address, when chosen. */
  readonly mac?: string;
}

/** A block device of the unikernel and the image file behind it. */
export interface BlockAttachment {
  /** The device name (the manifest's). */
  readonly name: string;
  /** The image file, absolute. */
  readonly path: string;
  /** The sector size in bytes, when chosen. */
  readonly sectorSize?: number;
}

/** The input of a target's launcher. */
export interface LaunchInput {
  /** Project root (absolute). */
  readonly root: string;
  /** The artifact, relative to the root (`dist/hello.hvt`). */
  readonly artifact: string;
  /** The register name. */
  readonly name: string;
  /** Network devices, in the manifest's order. */
  readonly networks: readonly NetAttachment[];
  /** Block devices, in the manifest's order. */
  readonly blocks: readonly BlockAttachment[];
  /** Memory in MiB. */
  readonly memory: number;
  /** Boot arguments. */
  readonly args: readonly string[];
  /** A scratch directory for generated runner files. */
  readonly scratch: string;
  /** Whether /dev/kvm is usable (QEMU then runs the guest with KVM, else with TCG). */
  readonly kvm: boolean;
}

/** How to start a unikernel: a command, and files to write first. */
export interface Launch {
  /** The command; its exit code is the unikernel's (after {@link Launch.exitCode}). */
  readonly command: Command;
  /** Files to write before starting (absolute path to contents). */
  readonly files?: ReadonlyMap<string, string>;
  /** A line saying how the guest runs (`QEMU with KVM`), printed before starting. */
  readonly note?: string;
  /** Maps the command's exit code to the unikernel's, with what it means when it is not plain. */
  readonly exitCode?: (code: number) => { code: number; meaning?: string };
}

/** A target's launcher. */
export type Launcher = (input: LaunchInput) => Launch;
