/**
 * `unik configure`: evaluate, generate, write the set of files atomically and save the
 * context. A failure at any point leaves the project as it was.
 * @module
 */

import { notice } from "../cli/output.ts";
import { relative } from "node:path";
import type { Configured } from "../configure.ts";
import { type SavedContext, showContext } from "../context.ts";
import { sha256 } from "../digest.ts";
import type { CliIO } from "../cli/io.ts";
import { LOCK_FILE, type ProjectPaths } from "../cli/project.ts";
import type { ConfigSession } from "../sandbox/mod.ts";
import type { Withheld } from "../plugins/approval.ts";
import { applyBuildGate } from "../plugins/gate.ts";
import { type FileToWrite, writeAll } from "../write.ts";
import { configError } from "../errors.ts";
import { isArtifact } from "../project_files.ts";
import { type CommonOptions, prepare, readSavedContext, savedValuesNoted } from "./common.ts";

/** The message printed after a successful configure. */
export const CONFIGURED_MESSAGE =
  "Successfully configured the unikernel. Now run 'unik build' (or 'make', 'make depends', 'make build').";

/** Options of configure. */
export interface ConfigureOptions extends CommonOptions {
  /** Print what would be written, write nothing. */
  readonly dryRun?: boolean;
  /** Print the "successfully configured" message (not when building). */
  readonly announce?: boolean;
  /**
   * Start from the defaults rather than the saved key values (a `configure` command line, as
   * mirage's; an explicit `--context-file` is still read).
   */
  readonly fromDefaults?: boolean;
  /** The saved context, when the caller has read it already. */
  readonly saved?: SavedContext;
}

/** Directories configure creates, relative to the root: removed by clean when left empty. */
export function generatedDirs(buildDir: string): string[] {
  return [`${buildDir}mirage`, `${buildDir}dist`];
}

/** What configure generated, and the third-party build contributions it withheld. */
export type ConfiguredRun = Configured & {
  /** Contributions not written until their plugins are approved (see plugins/approval.ts). */
  readonly withheld: readonly Withheld[];
};

/** Runs configure; returns what was generated. */
export async function runConfigure(
  paths: ProjectPaths,
  session: ConfigSession,
  options: ConfigureOptions,
  io: CliIO,
): Promise<ConfiguredRun> {
  const contextRel = relative(paths.root, paths.contextPath);
  const saved = options.saved ?? await readSavedContext(paths, session);
  const startFresh = options.fromDefaults && !paths.explicitContext;
  const prepared = await prepare(
    paths,
    options,
    startFresh && saved ? { ...saved, keys: {}, output: undefined } : saved,
  );
  const evaluated = await session.configure(prepared.request).catch((e) => {
    throw savedValuesNoted(e, startFresh ? undefined : saved, options.keys, paths);
  });
  // A project's own config needs no approval: only third-party plugins' contributions wait.
  const { configured, withheld } = await applyBuildGate(evaluated, prepared.request, options);
  const files: FileToWrite[] = configured.files.map((f) => ({
    path: f.path,
    contents: f.contents,
  }));
  if (withheld.length > 0) {
    // The record `unik plugin allow` shows before approving; removed with the configuration.
    const { showWithheldRecord, WITHHELD_FILE } = await import("../plugins/approval.ts");
    files.push({
      path: `${paths.buildDir}${WITHHELD_FILE}`,
      contents: showWithheldRecord(withheld),
    });
  }
  // The context tells clean what to remove: only a product of dist/ may be recorded there.
  if (!isArtifact(configured.artifact, paths.buildDir)) {
    throw configError(
      `the unikernel's artifact ${
        JSON.stringify(configured.artifact)
      } is not a file of ${paths.buildDir}dist/`,
      {
        hint: "the register name was changed after register() checked it; give it its final value",
      },
    );
  }
  const hashes = Object.fromEntries(
    await Promise.all(files.map(async (f) => [f.path, await sha256(f.contents)])),
  );
  files.push({
    path: contextRel,
    contents: showContext({
      keys: prepared.given,
      output: prepared.request.output,
      files: hashes,
      artifacts: [configured.artifact],
      ...(saved?.build ? { build: saved.build } : {}),
    }),
  });
  let out = "";
  const print = (text: string) => {
    out += text;
    notice(io, text, "out");
  };
  for (const notice of session.loaded.notices) print(`${notice}\n`);
  if (withheld.length > 0 && options.announce !== false) {
    const { showWithheld } = await import("../plugins/approval.ts");
    notice(
      io,
      `warning: not written, waiting for approval (third-party build contributions run on ` +
        `this machine at build time):\n${showWithheld(withheld)}`,
    );
  }
  if (options.dryRun) {
    for (const f of files) {
      io.err(`* Write to ${f.path} (${new TextEncoder().encode(f.contents).length} bytes)\n`);
    }
    return { ...configured, withheld };
  }
  // The previous configuration's files that are not written again are removed in the same
  // journaled step (those changed since unik wrote them are kept).
  const previous = saved?.files ?? {};
  // A new unik.lock is written with them, in the same step: the files that use a plugin are
  // never there without the lock that records it.
  const written = [...files];
  if (options.pluginLock?.changed) {
    // Loaded only when there is a lock to write: zod is not needed on the common path.
    const { showLock } = await import("../plugins/lock.ts");
    written.push({ path: LOCK_FILE, contents: showLock(options.pluginLock.lock) });
  }
  await writeAll(paths.root, written, {
    previous,
    context: contextRel,
    ours: [LOCK_FILE],
    fs: io.fs,
  });
  if (options.announce !== false) print(`${CONFIGURED_MESSAGE}\n`);
  // A new unik.lock is itself an input: the next configure, which reads it, is the one to record.
  // Nor is a configure that withheld contributions replayed: its warning must be shown again.
  if (options.recorder && !options.pluginLock?.changed && withheld.length === 0) {
    options.recorder.effects = { files, previous, context: contextRel, out };
  }
  return { ...configured, withheld };
}
