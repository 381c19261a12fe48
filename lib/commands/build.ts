/**
 * `unik build`: configure, then mirage 4.9's `make depend build` — opam-monorepo lock, switch
 * dependencies, pull into `duniverse/`, `dune build` — skipping steps already done. With
 * `--offline` no opam step runs and `--duniverse DIR` supplies the sources.
 * @module
 */

import { isAbsolute, join, resolve } from "node:path";
import { $ } from "../deps/dax.ts";
import type { Configured } from "../configure.ts";
import { sha256 } from "../digest.ts";
import { UnikError, usageError } from "../errors.ts";
import type { CliIO } from "../cli/io.ts";
import type { ProjectPaths } from "../cli/project.ts";
import type { ConfigSession } from "../evaluate/session.ts";
import { type ConfigureOptions, runConfigure } from "./configure.ts";
import { requireTools, runStep, type Step } from "../toolchain/process.ts";
import { installSwitchDeps } from "../toolchain/opam.ts";
import * as monorepo from "../toolchain/opam_monorepo.ts";
import * as dune from "../toolchain/dune.ts";

/** Options of build. */
export interface BuildOptions extends ConfigureOptions {
  /** Run no opam step (no network). */
  readonly offline?: boolean;
  /** A local directory of package sources to build from (linked as `duniverse/`). */
  readonly duniverse?: string;
}

/** What a build produced. */
export interface Built {
  /** The configuration. */
  readonly configured: Configured;
  /** The artifact, absolute. */
  readonly artifact: string;
}

async function mtime(path: string): Promise<number | undefined> {
  try {
    return (await Deno.lstat(path)).mtime?.getTime();
  } catch {
    return undefined;
  }
}

/** Build state kept between runs: what the switch was last installed for. */
interface BuildState {
  switchFor?: string;
}

async function readState(path: string): Promise<BuildState> {
  try {
    return JSON.parse(await Deno.readTextFile(path));
  } catch {
    return {};
  }
}

/** Links `root/duniverse` to `dir`, or checks that it already is that link. */
async function linkDuniverse(root: string, dir: string): Promise<void> {
  const target = isAbsolute(dir) ? dir : resolve(root, dir);
  try {
    if (!(await Deno.stat(target)).isDirectory) throw new Error();
  } catch {
    throw usageError(`--duniverse ${dir}: no such directory`);
  }
  const link = join(root, "duniverse");
  try {
    const info = await Deno.lstat(link);
    if (info.isSymlink && resolve(root, await Deno.readLink(link)) === target) return;
    throw new UnikError(
      "io",
      "duniverse/ already exists and is not a link to the --duniverse directory",
      {
        hint: "remove duniverse/ (or build without --duniverse to use it)",
      },
    );
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  await Deno.symlink(target, link);
}

/** Configures and builds; returns the artifact. */
export async function runBuild(
  paths: ProjectPaths,
  session: ConfigSession,
  options: BuildOptions,
  io: CliIO,
): Promise<Built> {
  const configured = await runConfigure(paths, session, { ...options, announce: false }, io);
  const root = paths.root;
  const opamFile = configured.opamFile;
  const lockFile = `${opamFile}.locked`;
  const statePath = join(root, paths.buildDir, "mirage", ".unik-build.json");
  const state = await readState(statePath);
  const report = (line: string) => io.err(`${line}\n`);
  const steps: { step: Step; after?: () => Promise<void> }[] = [];
  const depext = !options.noDepext;

  if (options.offline) {
    if (options.duniverse) await linkDuniverse(root, options.duniverse);
    else if ((await mtime(join(root, "duniverse"))) === undefined) {
      throw usageError("an offline build needs the package sources", {
        hint: "pass --duniverse DIR, or run unik build once without --offline",
      });
    }
  } else {
    if (options.duniverse) throw usageError("--duniverse needs --offline");
    const opamText = await Deno.readTextFile(join(root, opamFile));
    const lockTime = await mtime(join(root, lockFile));
    if (lockTime === undefined || lockTime < (await mtime(join(root, opamFile)))!) {
      await requireTools([{ tool: "ocamlc", purpose: "tell opam-monorepo the OCaml version" }]);
      const version = (await $`ocamlc -version`.text()).trim();
      steps.push({ step: monorepo.lock(root, configured.opamName, lockFile, version) });
    } else report(`• lock monorepo dependencies: skipped, ${lockFile} is up to date`);
    const switchFor = await sha256(opamText);
    if (state.switchFor !== switchFor) {
      steps.push({ step: installSwitchDeps(root, opamFile, depext) });
      if (depext) steps.push({ step: monorepo.depext(root, lockFile) });
      steps[steps.length - 1].after = async () => {
        await Deno.writeTextFile(statePath, JSON.stringify({ ...state, switchFor }) + "\n");
      };
    } else report("• install switch dependencies: skipped, already installed for this opam file");
    const duniverseTime = await mtime(join(root, "duniverse"));
    if (duniverseTime === undefined || lockTime === undefined || duniverseTime < lockTime) {
      steps.push({ step: monorepo.pull(root, lockFile) });
    } else report("• pull monorepo dependencies: skipped, duniverse/ is up to date");
  }
  steps.push({ step: dune.build(root, paths.buildDir) });
  await requireTools(steps.map(({ step }) => ({ tool: step.tool, purpose: step.title })));
  for (const { step, after } of steps) {
    await runStep(step, report);
    await after?.();
  }
  const artifact = join(root, configured.artifact);
  if ((await mtime(artifact)) === undefined) {
    throw new UnikError("toolchain", `dune finished but ${configured.artifact} was not produced`, {
      hint: "check dist/dune and the rules of dune.build",
    });
  }
  report(`unikernel built: ${configured.artifact}`);
  return { configured, artifact };
}
