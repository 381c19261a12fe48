/**
 * `unik run`: configure, build, then start the unikernel with the tender, VMM or toolstack of
 * its target, every device of its manifest attached as the tender options say. Everything is
 * checked before the build starts: the attachments, the image files, the tender and (hvt) KVM.
 * `--print` prints the command instead of starting it. The unikernel's exit code is unik's.
 * @module
 */

import { notice } from "../cli/output.ts";
import { isAbsolute, join } from "node:path";
import { configError, UnikError, usageError } from "../errors.ts";
import type { CliIO } from "../cli/io.ts";
import type { ProjectPaths } from "../cli/project.ts";
import type { ConfigSession } from "../sandbox/mod.ts";
import type { Target } from "../target.ts";
import { findTarget } from "../../targets/mod.ts";
import { type BuildInput, type BuildOptions, type PlanOptions, runBuild } from "./build.ts";
import { runAttached, showCommand } from "../toolchain/process.ts";
import type { BlockAttachment, Launch, NetAttachment } from "../toolchain/launch.ts";
import { kvmStatus, type ToolNeed } from "../toolchain/needs.ts";
import type { TenderOptions } from "../toolchain/tender_options.ts";

/** Options of run. */
export interface RunOptions extends BuildOptions {
  /** The tender options (memory, device attachments). */
  readonly tender?: TenderOptions;
  /** Print the command that starts the unikernel instead of starting it. */
  readonly print?: boolean;
  /** Boot arguments. */
  readonly args?: readonly string[];
}

/** Memory when `--mem` is not given, in MiB. */
const DEFAULT_MEMORY = 512;

/** Targets whose tender or VMM takes the devices from unik's command line. */
function attachesDevices(target: Target): boolean {
  return target.family === "solo5" || target.family === "unikraft";
}

/** Device names come out of the sandbox: they must be manifest names before reaching a tender. */
function checkDeviceNames(names: readonly string[]): void {
  for (const name of names) {
    if (!/^[A-Za-z0-9_.-]{1,67}$/.test(name)) {
      throw configError(`the device name ${JSON.stringify(name)} cannot be given to a tender`, {
        hint: "device names are letters, digits, '_', '-' and '.', at most 67 of them",
      });
    }
  }
}

/** Every tender option must name a device of the kind it attaches. */
function checkOptionNames(
  options: Readonly<Record<string, unknown>> | undefined,
  flag: string,
  kind: "network" | "block",
  names: readonly string[],
  origin: PlanOptions["origin"],
): void {
  for (const [name, value] of Object.entries(options ?? {})) {
    if (!names.includes(name)) {
      throw usageError(
        `--${flag}:${name}=${value}${
          origin(flag, name)
        }: the unikernel has no ${kind} device named ${name}`,
        {
          hint: names.length
            ? `its ${kind} devices: ${names.join(", ")}`
            : `it has no ${kind} device`,
        },
      );
    }
  }
}

/** The attachments of every manifest device; an unattached one is an error naming it. */
function attachments(
  configured: BuildInput,
  target: Target,
  { tender, origin }: PlanOptions,
  root: string,
): { networks: NetAttachment[]; blocks: BlockAttachment[] } {
  const netNames = configured.resources.networks;
  const blockNames = configured.resources.blocks.map((b) => b.name);
  checkDeviceNames([...netNames, ...blockNames]);
  checkOptionNames(tender.nets, "net", "network", netNames, origin);
  checkOptionNames(tender.netMacs, "net-mac", "network", netNames, origin);
  checkOptionNames(tender.blocks, "block", "block", blockNames, origin);
  checkOptionNames(tender.blockSectorSizes, "block-sector-size", "block", blockNames, origin);
  const explicit = attachesDevices(target);
  const unattached = [
    ...netNames.filter((n) => explicit && !tender.nets?.[n]).map((n) => `--net:${n}=IFACE`),
    ...blockNames.filter((n) => explicit && !tender.blocks?.[n]).map((n) => `--block:${n}=PATH`),
  ];
  if (unattached.length) {
    throw usageError(
      `the unikernel's manifest has device${unattached.length > 1 ? "s" : ""} not attached: ${
        unattached.map((u) => u.replace(/^--(net|block):([^=]*)=.*$/, "$2 ($1)")).join(", ")
      }`,
      { hint: `attach ${unattached.length > 1 ? "each" : "it"}: ${unattached.join(" ")}` },
    );
  }
  const absolute = (p: string) => (isAbsolute(p) ? p : join(root, p));
  return {
    networks: netNames.map((name, i) => ({
      name,
      iface: tender.nets?.[name] ?? `tap${i}`,
      ...(tender.netMacs?.[name] ? { mac: tender.netMacs[name] } : {}),
    })),
    blocks: blockNames.map((name) => ({
      name,
      path: absolute(tender.blocks?.[name] ?? name),
      ...(tender.blockSectorSizes?.[name] ? { sectorSize: tender.blockSectorSizes[name] } : {}),
    })),
  };
}

async function checkImages(
  blocks: readonly BlockAttachment[],
  origin: PlanOptions["origin"],
): Promise<void> {
  const missing = [];
  for (const b of blocks) {
    try {
      await Deno.stat(b.path);
    } catch {
      missing.push(`${b.name}: ${b.path}${origin("block", b.name)}`);
    }
  }
  if (missing.length) {
    throw new UnikError(
      "runtime",
      `missing block device file${missing.length > 1 ? "s" : ""}: ${missing.join(", ")}`,
      {
        hint:
          "create the image (e.g. dd if=/dev/zero of=disk.img bs=512 count=8) or pass --block:NAME=PATH",
      },
    );
  }
}

/** What starting the unikernel needs from the machine. */
function launchNeeds(target: Target, launch: Launch): ToolNeed[] {
  const tool = launch.command.tool;
  if (isAbsolute(tool)) return [];
  const needs: ToolNeed[] = [{
    tool,
    purpose: `start a ${target.name} unikernel`,
    fromSwitch: tool.startsWith("solo5-"),
  }];
  if (tool === "solo5-hvt") needs.push({ tool: "/dev/kvm", purpose: "run solo5-hvt" });
  return needs;
}

/** Builds and runs; returns the unikernel's exit code. */
export async function runRun(
  paths: ProjectPaths,
  session: ConfigSession,
  options: RunOptions,
  io: CliIO,
): Promise<number> {
  let launch: Launch | undefined;
  const scratch = await Deno.makeTempDir({ prefix: "unik-run-" });
  let keepScratch = false;
  try {
    const { configured } = await runBuild(paths, session, options, io, {
      plan: async (configured, plan) => {
        const tender = plan.tender;
        const target = findTarget(configured.target)!;
        if (!target.launch) {
          throw new UnikError("runtime", `unik cannot start ${target.name} unikernels by itself`, {
            hint: target.noLaunch,
          });
        }
        if (target.family === "unix" && hasAttachments(options.tender ?? {})) {
          throw usageError(`tender options do not apply to ${target.name} unikernels`, {
            hint: "a unix unikernel is a process: it opens its devices itself",
          });
        }
        // A unix unikernel opens its devices itself: remembered tender options are for others.
        const { networks, blocks } = target.family === "unix"
          ? { networks: [], blocks: [] }
          : attachments(configured, target, plan, paths.root);
        if (!options.print) await checkImages(blocks, plan.origin);
        launch = target.launch({
          root: paths.root,
          artifact: configured.artifact,
          name: configured.name,
          networks,
          blocks,
          memory: tender.mem ?? DEFAULT_MEMORY,
          args: options.args ?? [],
          scratch,
          kvm: kvmStatus().usable,
        });
        return options.print ? [] : launchNeeds(target, launch);
      },
    });
    const started = launch!;
    for (const [path, contents] of started.files ?? []) await Deno.writeTextFile(path, contents);
    if (options.print) {
      keepScratch = (started.files?.size ?? 0) > 0;
      for (const path of started.files?.keys() ?? []) notice(io, `• wrote ${path}\n`);
      io.out(`${cdPrefix(started, paths.root)}${showCommand(started.command)}\n`);
      return 0;
    }
    if (started.note) notice(io, `• ${started.note}\n`);
    notice(io, `• start ${configured.artifact}\n`);
    const code = await runAttached(started.command);
    const mapped = started.exitCode?.(code) ?? { code };
    if (mapped.meaning) notice(io, `• ${mapped.meaning}\n`);
    return mapped.code;
  } finally {
    if (!keepScratch) await Deno.remove(scratch, { recursive: true }).catch(() => {});
  }
}

function hasAttachments(t: TenderOptions): boolean {
  return t.mem !== undefined ||
    [t.nets, t.netMacs, t.blocks, t.blockSectorSizes].some((o) => Object.keys(o ?? {}).length);
}

/** `cd DIR && ` when the command must run elsewhere than the project root (xl, in dist/). */
function cdPrefix(launch: Launch, root: string): string {
  const cwd = launch.command.cwd;
  return cwd === root ? "" : `cd ${showCommand({ tool: cwd, args: [], cwd })} && `;
}
