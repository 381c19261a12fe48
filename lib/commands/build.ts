/**
 * `unik build`: configure, then mirage 4.9's `make depend build` — opam-monorepo lock, switch
 * dependencies, pull into `duniverse/`, `dune build` — skipping steps already done. With
 * `--offline` no opam step runs and `--duniverse DIR` supplies the sources.
 * @module
 */

import { notice } from "../cli/output.ts";
import { progressSinkFor } from "../toolchain/progress.ts";
import { isAbsolute, join, relative, resolve } from "node:path";
import type { Configured } from "../configure.ts";
import { sha256 } from "../digest.ts";
import { pluginError, UnikError, usageError } from "../errors.ts";
import type { CliIO } from "../cli/io.ts";
import type { ProjectPaths } from "../cli/project.ts";
import type { ConfigSession } from "../sandbox/mod.ts";
import { type ConfigureOptions, runConfigure } from "./configure.ts";
import { capture, runStep, type Step, type StepReporting } from "../toolchain/process.ts";
import { requireTools, targetToolchainNeeds, type ToolNeed } from "../toolchain/needs.ts";
import { findTarget } from "../../targets/mod.ts";
import { replaceFile } from "../write.ts";
import { extraReposOf, readSavedContext } from "./common.ts";
import type { SavedContext } from "../context.ts";
import { effectiveBuild, sameRemembered, saveRemembered } from "../toolchain/remembered.ts";
import { showTenderOptions, type TenderOptions } from "../toolchain/tender_options.ts";
import {
  addRepository,
  checkRepository,
  installSwitchDeps,
  removeRepository,
  switchRepositories,
} from "../toolchain/opam.ts";
import * as monorepo from "../toolchain/opam_monorepo.ts";
import * as dune from "../toolchain/dune.ts";
import {
  DUNE_SKIPPED,
  forgetStamp,
  runRecorded,
  type StampScope,
  upToDate,
} from "../toolchain/dune_stamp.ts";
import { mirrorDuniverse, type SyncCounts } from "../toolchain/duniverse.ts";

/** Options of build. */
export interface BuildOptions extends ConfigureOptions {
  /** Run no opam step (no network); remembered. */
  readonly offline?: boolean;
  /** Forget a remembered `--offline` and `--duniverse`. */
  readonly noOffline?: boolean;
  /** A local directory of package sources to build from (as `duniverse/`); remembered. */
  readonly duniverse?: string;
  /** The tender options of a run, remembered for the next ones. */
  readonly tender?: TenderOptions;
  /** Run dune even when its up-to-date stamp says it has nothing to do (`--force`). */
  readonly force?: boolean;
}

/** What the build steps need of a configuration. */
export type BuildInput = Pick<
  Configured,
  "target" | "name" | "opamFile" | "opamName" | "artifact" | "resources"
>;

/** What a build produced. */
export interface Built {
  /** The configuration. */
  readonly configured: BuildInput;
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

/** Mirrors `dir` into `root/duniverse` (see toolchain/duniverse.ts), once it is a directory. */
async function useLocalDuniverse(
  root: string,
  dir: string,
  remembered: string,
): Promise<SyncCounts> {
  const target = isAbsolute(dir) ? dir : resolve(root, dir);
  try {
    if (!(await Deno.stat(target)).isDirectory) throw new Error();
  } catch {
    throw usageError(`--duniverse ${dir}: no such directory${remembered}`, {
      hint: remembered ? "give --duniverse DIR, or --no-offline to use opam again" : undefined,
    });
  }
  return await mirrorDuniverse(root, target);
}

/** What a command that builds first (run) adds to the build. */
export interface BuildHooks {
  /**
   * Called once configured and before anything runs: checks what the command will do after
   * the build and returns what it needs from the machine, checked with the build's own needs.
   */
  readonly plan?: (configured: BuildInput, options: PlanOptions) => Promise<readonly ToolNeed[]>;
}

/** What {@link BuildHooks.plan} is told about the options in effect. */
export interface PlanOptions {
  /** The tender options in effect: the command line's over the remembered ones. */
  readonly tender: TenderOptions;
  /** Says, for an option that came from the saved context, where it came from (else ""). */
  readonly origin: (flag: string, name?: string) => string;
}

/** Configures and builds; returns the artifact. */
export async function runBuild(
  paths: ProjectPaths,
  session: ConfigSession,
  options: BuildOptions,
  io: CliIO,
  hooks: BuildHooks = {},
): Promise<Built> {
  const saved = await readSavedContext(paths, session);
  const configured = await runConfigure(
    paths,
    session,
    { ...options, announce: false, saved },
    io,
  );
  if (configured.withheld.length > 0) {
    const { showWithheld } = await import("../plugins/approval.ts");
    throw pluginError(
      `not building: third-party plugins would add build steps that run on this machine, ` +
        `and they are not approved:\n${showWithheld(configured.withheld).trimEnd()}`,
      { hint: "review them, then approve with unik plugin allow NAME (or --allow-build=NAME)" },
    );
  }
  const input: BuildInput = {
    target: configured.target,
    name: configured.name,
    opamFile: configured.opamFile,
    opamName: configured.opamName,
    artifact: configured.artifact,
    resources: configured.resources,
  };
  // What a later no-op `unik build` replays instead of evaluating config.ts (see main.ts).
  if (options.recorder) options.recorder.build = input;
  return await buildConfigured(paths, input, saved, options, io, hooks);
}

/**
 * Builds what configure produced: the steps after configure, from the lock to dune. Used by
 * {@link runBuild}, and directly by a no-op build replayed from the configure cache.
 */
export async function buildConfigured(
  paths: ProjectPaths,
  configured: BuildInput,
  saved: SavedContext | undefined,
  options: BuildOptions,
  io: CliIO,
  hooks: BuildHooks = {},
): Promise<Built> {
  const contextRel = relative(paths.root, paths.contextPath);
  const given = {
    ...options,
    duniverse: options.duniverse === undefined ? undefined : resolve(paths.root, options.duniverse),
  };
  const remembered = effectiveBuild(saved?.build, given);
  const origin = (flag: string, name?: string): string => {
    const fromCommandLine = flag === "duniverse"
      ? given.duniverse !== undefined
      : flag === "offline"
      ? given.offline
      : name === undefined
      ? given.tender?.mem !== undefined
      : showTenderOptions(given.tender ?? {}).some((a) => a.startsWith(`--${flag}:${name}=`));
    return fromCommandLine ? "" : ` (remembered in ${contextRel} from an earlier command)`;
  };
  const target = findTarget(configured.target)!;
  const root = paths.root;
  const opamFile = configured.opamFile;
  const lockFile = `${opamFile}.locked`;
  const statePath = join(root, paths.buildDir, "mirage", ".unik-build.json");
  const state = await readState(statePath);
  const report = (line: string) => notice(io, `${line}\n`);
  const logs = join(paths.buildDir, "mirage", "log");
  const reporting: StepReporting = {
    ...progressSinkFor(io),
    logDir: join(root, logs),
    shownLogDir: logs,
  };
  const depext = !options.noDepext;
  const later = await hooks.plan?.(configured, { tender: remembered.tender ?? {}, origin }) ?? [];

  let plan: { lock: boolean; switchFor?: string; pull: boolean } | undefined;
  const skipped: string[] = [];
  let mirrored = false;
  if (remembered.offline) {
    if (remembered.duniverse) {
      const counts = await useLocalDuniverse(root, remembered.duniverse, origin("duniverse"));
      mirrored = counts.written + counts.removed > 0;
    } else if ((await mtime(join(root, "duniverse"))) === undefined) {
      throw usageError(`an offline build needs the package sources${origin("offline")}`, {
        hint: "pass --duniverse DIR, or run unik build once without --offline (--no-offline)",
      });
    }
  } else {
    if (remembered.duniverse) {
      throw usageError(`--duniverse needs --offline${origin("duniverse")}`);
    }
    const opamText = await Deno.readTextFile(join(root, opamFile));
    const lockTime = await mtime(join(root, lockFile));
    const lock = lockTime === undefined || lockTime < (await mtime(join(root, opamFile)))!;
    if (!lock) skipped.push(`• lock monorepo dependencies: skipped, ${lockFile} is up to date`);
    const switchFor = await sha256(opamText);
    const install = state.switchFor !== switchFor;
    if (!install) {
      skipped.push(
        "• install switch dependencies: skipped, already installed for this opam file",
      );
    }
    const duniverseTime = await mtime(join(root, "duniverse"));
    const pull = lock || duniverseTime === undefined || duniverseTime < lockTime!;
    if (!pull) skipped.push("• pull monorepo dependencies: skipped, duniverse/ is up to date");
    plan = { lock, switchFor: install ? switchFor : undefined, pull };
  }

  const repos = plan?.lock ? extraReposOf(options) : [];
  repos.forEach(checkRepository);
  // Everything the command needs is checked before anything runs, except what the switch
  // installation step itself brings (ocaml-solo5, solo5): that is checked right after it.
  const installsSwitch = plan?.switchFor !== undefined;
  const needs: ToolNeed[] = [
    ...(plan?.lock ? [{ tool: "ocamlc", purpose: "tell opam-monorepo the OCaml version" }] : []),
    ...(plan && (plan.lock || plan.switchFor || plan.pull)
      ? [{ tool: "opam", purpose: "lock, install and pull the dependencies" }]
      : []),
    { tool: "dune", purpose: "build the unikernel" },
    ...targetToolchainNeeds(target),
    ...later,
  ];
  await requireTools(needs.filter((n) => !(installsSwitch && n.fromSwitch)));
  if (!sameRemembered(saved?.build, remembered)) {
    await saveRemembered(paths.contextPath, remembered);
  }
  for (const line of skipped) report(line);

  const steps: {
    step: Step;
    run?: () => Promise<void>;
    after?: () => Promise<void>;
    cleanup?: Step[];
  }[] = [];
  if (plan?.lock) {
    // As mirage's Makefile: the overlays join the switch for the lock, then leave it; those
    // the switch has already are left alone.
    const present = repos.length ? await switchRepositories(root) : [];
    const added = repos.filter(([name]) => !present.includes(name));
    for (const [name] of repos.filter(([name]) => present.includes(name))) {
      report(`• add the overlay repository ${name}: skipped, the switch has it already`);
    }
    for (const repo of added) steps.push({ step: addRepository(root, repo) });
    const version = (await capture("ocamlc", ["-version"])).stdout.trim();
    steps.push({
      step: monorepo.lock(root, configured.opamName, lockFile, version),
      cleanup: added.map(([name]) => removeRepository(root, name)),
    });
  }
  if (plan?.switchFor !== undefined) {
    const switchFor = plan.switchFor;
    steps.push({ step: installSwitchDeps(root, opamFile, depext) });
    if (depext) steps.push({ step: monorepo.depext(root, lockFile) });
    steps[steps.length - 1].after = async () => {
      // Renamed into place: a link planted at the name is replaced, never written through.
      await replaceFile(statePath, JSON.stringify({ ...state, switchFor }) + "\n");
      await requireTools(
        needs.filter((n) => n.fromSwitch),
        "the switch dependencies are installed but dune did not run",
      );
    };
  }
  if (plan?.pull) steps.push({ step: monorepo.pull(root, lockFile) });
  // With every other step skipped, dune may be too when nothing it depends on changed since
  // it last built (toolchain/dune_stamp.ts); such a build records that state for the next.
  const duneStep = dune.build(root, paths.buildDir);
  const scope: StampScope = {
    root,
    buildDir: paths.buildDir,
    step: duneStep,
    extraTrees: remembered.offline && remembered.duniverse
      ? [resolve(root, remembered.duniverse)]
      : [],
    env: Deno.env.toObject(),
  };
  const onlyDune = steps.length === 0 && !mirrored;
  if (onlyDune && !options.force && await upToDate(scope)) {
    report(DUNE_SKIPPED);
  } else {
    if (!onlyDune) await forgetStamp(root, paths.buildDir);
    steps.push({
      step: duneStep,
      run: onlyDune
        ? () => runRecorded(scope, skipped, () => runStep(duneStep, reporting))
        : undefined,
    });
  }
  for (const { step, run, after, cleanup } of steps) {
    try {
      await (run ? run() : runStep(step, reporting));
    } finally {
      for (const c of cleanup ?? []) {
        await runStep(c, reporting).catch((e) => report(`warning: ${(e as Error).message}`));
      }
    }
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
