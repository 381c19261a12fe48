/**
 * A no-op `unik build` without evaluating config.ts: when nothing configure depends on has
 * changed (lib/replay.ts), the build replays its configure's effects and runs the build steps
 * on the configuration it recorded, as `unik configure` does for itself. Only command lines of
 * build options alone qualify; any key or other option takes the ordinary path. With no build
 * option at all, a build whose dune stamp holds (toolchain/dune_stamp.ts) is done here, before
 * the build steps and their modules are loaded: this is what makes a no-op `unik build` cost
 * less than dune's own no-op.
 * @module
 */

import { parseArgs } from "node:util";
import { isAbsolute, normalize } from "node:path";
import type { CliIO } from "../cli/io.ts";
import type { ProjectPaths } from "../cli/project.ts";
import type { BuildInput, BuildOptions } from "./build.ts";
import { build as duneBuild } from "../toolchain/dune.ts";
import { DUNE_SKIPPED, upToDate } from "../toolchain/dune_stamp.ts";
import { notice } from "../cli/output.ts";

/** The build options a replayable command line may hold. */
export type PlainBuildOptions = Pick<
  BuildOptions,
  "offline" | "noOffline" | "duniverse" | "noDepext" | "noExtraRepo" | "extraRepos" | "force"
>;

/** The options of `argv` if it holds build options only (and `-f`, `--context-file`). */
export function plainBuildOptions(argv: readonly string[]): PlainBuildOptions | undefined {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        file: { type: "string", short: "f" },
        "context-file": { type: "string" },
        offline: { type: "boolean" },
        "no-offline": { type: "boolean" },
        duniverse: { type: "string" },
        depext: { type: "boolean" },
        "no-depext": { type: "boolean" },
        "no-extra-repo": { type: "boolean" },
        "extra-repos": { type: "string" },
        force: { type: "boolean" },
      },
    });
    if (positionals.length) return undefined;
    return {
      offline: values.offline,
      noOffline: values["no-offline"],
      duniverse: values.duniverse,
      noDepext: values["no-depext"],
      noExtraRepo: values["no-extra-repo"],
      extraRepos: values["extra-repos"],
      force: values.force,
    };
  } catch {
    return undefined;
  }
}

const isProjectPath = (p: unknown): p is string =>
  typeof p === "string" && p !== "" && !isAbsolute(p) && !normalize(p).startsWith("..");
const isName = (n: unknown): n is string => typeof n === "string" && /^[\w.-]+$/.test(n);

/** A recorded build input read back from the cache, checked; undefined when it is not one. */
export function validBuildInput(data: unknown): BuildInput | undefined {
  const d = data as Record<string, unknown> | null;
  if (!d || typeof d !== "object") return undefined;
  const r = d.resources as Record<string, unknown> | null;
  if (!r || !Array.isArray(r.networks) || !Array.isArray(r.blocks)) return undefined;
  const ok = isName(d.target) && isName(d.name) && isName(d.opamName) &&
    isProjectPath(d.opamFile) && isProjectPath(d.artifact) &&
    r.networks.every((n) => typeof n === "string") &&
    r.blocks.every((b) => typeof b?.name === "string" && Number.isInteger(b?.number));
  return ok ? (d as unknown as BuildInput) : undefined;
}

/**
 * The build steps of a replayed build. Without any build option the remembered ones apply,
 * and the saved context that holds them is part of the dune stamp, so a stamp that holds means
 * the steps would skip everything: then dune is skipped here.
 */
export async function replayedBuild(
  paths: ProjectPaths,
  input: BuildInput,
  options: PlainBuildOptions,
  io: CliIO,
): Promise<void> {
  if (Object.values(options).every((v) => v === undefined)) {
    const skipped = await upToDate({
      root: paths.root,
      buildDir: paths.buildDir,
      step: duneBuild(paths.root, paths.buildDir),
      env: Deno.env.toObject(),
    });
    if (skipped) {
      for (const line of [...skipped, DUNE_SKIPPED, `unikernel built: ${input.artifact}`]) {
        notice(io, `${line}\n`);
      }
      return;
    }
  }
  const [{ buildConfigured }, { readSavedContext }] = await Promise.all([
    import("./build.ts"),
    import("./common.ts"),
  ]);
  const saved = await readSavedContext(paths);
  await buildConfigured(paths, input, saved, { keys: {}, env: io.env, ...options }, io);
}
