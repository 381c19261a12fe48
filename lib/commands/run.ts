/**
 * `unik run`: configure, build, then start the unikernel with the tender, VMM or toolstack of
 * its target, attaching the network and block devices of its graph. The unikernel's exit code
 * is unik's.
 * @module
 */

import { isAbsolute, join } from "node:path";
import { UnikError, usageError } from "../errors.ts";
import type { CliIO } from "../cli/io.ts";
import type { ProjectPaths } from "../cli/project.ts";
import type { ConfigSession } from "../evaluate/session.ts";
import { findTarget } from "../../targets/mod.ts";
import { type BuildOptions, runBuild } from "./build.ts";
import { requireTools, runAttached } from "../toolchain/process.ts";
import type { LaunchInput } from "../toolchain/launch.ts";

/** Options of run. */
export interface RunOptions extends BuildOptions {
  /** `NAME=TAP` for network devices. */
  readonly nets?: readonly string[];
  /** `NAME=FILE` for block devices. */
  readonly blocks?: readonly string[];
  /** Memory in MiB (default 512). */
  readonly memory?: number;
  /** Boot arguments. */
  readonly args?: readonly string[];
}

function assignments(
  flag: string,
  given: readonly string[],
  names: readonly string[],
): Map<string, string> {
  const out = new Map<string, string>();
  for (const g of given) {
    const eq = g.indexOf("=");
    if (eq <= 0 || eq === g.length - 1) throw usageError(`--${flag} ${g}: expected NAME=VALUE`);
    const name = g.slice(0, eq);
    if (!names.includes(name)) {
      throw usageError(`--${flag} ${g}: the unikernel has no ${flag} device named ${name}`, {
        hint: names.length
          ? `its ${flag} devices: ${names.join(", ")}`
          : `it has no ${flag} device`,
      });
    }
    out.set(name, g.slice(eq + 1));
  }
  return out;
}

/** Builds and runs; returns the unikernel's exit code. */
export async function runRun(
  paths: ProjectPaths,
  session: ConfigSession,
  options: RunOptions,
  io: CliIO,
): Promise<number> {
  const { configured } = await runBuild(paths, session, options, io);
  const target = findTarget(configured.target)!;
  if (!target.launch) {
    throw new UnikError("runtime", `unik cannot start ${target.name} unikernels by itself`, {
      hint: target.noLaunch,
    });
  }
  const networkNames = [...configured.resources.networks].reverse();
  const blockNames = configured.resources.blocks.map((b) => b.name);
  const taps = assignments("net", options.nets ?? [], networkNames);
  const files = assignments("block", options.blocks ?? [], blockNames);
  const blocks = blockNames.map((n) => {
    const file = files.get(n) ?? n;
    return [n, isAbsolute(file) ? file : join(paths.root, file)] as const;
  });
  const missing = [];
  for (const [name, file] of blocks) {
    try {
      await Deno.stat(file);
    } catch {
      missing.push(`${name}: ${file}`);
    }
  }
  if (missing.length) {
    throw new UnikError(
      "runtime",
      `missing block device file${missing.length > 1 ? "s" : ""}: ${missing.join(", ")}`,
      {
        hint:
          "create the image (e.g. dd if=/dev/zero of=disk.img bs=512 count=8) or pass --block NAME=FILE",
      },
    );
  }
  const scratch = await Deno.makeTempDir({ prefix: "unik-run-" });
  const input: LaunchInput = {
    root: paths.root,
    artifact: configured.artifact,
    name: configured.name,
    networks: networkNames.map((n, i) => [n, taps.get(n) ?? `tap${i}`] as const),
    blocks,
    memory: options.memory ?? 512,
    args: options.args ?? [],
    scratch,
  };
  const launch = target.launch(input);
  try {
    for (const [path, contents] of launch.files ?? []) await Deno.writeTextFile(path, contents);
    if (!isAbsolute(launch.command.tool)) {
      await requireTools([{
        tool: launch.command.tool,
        purpose: `start a ${target.name} unikernel`,
      }]);
    }
    io.err(`• start ${configured.artifact}\n`);
    return await runAttached(launch.command);
  } finally {
    await Deno.remove(scratch, { recursive: true }).catch(() => {});
  }
}
