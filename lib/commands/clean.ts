/**
 * `unik clean`: removes what configure generated (as recorded in the context) and the
 * build products, never a file of the user's: a generated file is removed only while it
 * still hashes to what configure recorded, and nothing outside the project is touched.
 * @module
 */

import { notice } from "../cli/output.ts";
import { join, relative } from "node:path";
import type { CliIO } from "../cli/io.ts";
import type { ProjectPaths } from "../cli/project.ts";
import { type Removable, removeGenerated } from "../write.ts";
import { readSavedContext } from "./common.ts";
import { generatedDirs } from "./configure.ts";

/** Runs clean; returns the removed paths. */
export async function runClean(paths: ProjectPaths, io: CliIO, dryRun = false): Promise<string[]> {
  const saved = await readSavedContext(paths);
  if (!saved) return [];
  const files: Removable[] = Object.entries(saved.files).map(([path, digest]) => ({
    path,
    expect: digest,
  }));
  // Build products (their paths checked when the context was read): the artifact, what
  // unik build leaves in mirage/ (its state and the opam-monorepo lock file).
  for (const a of saved.artifacts) files.push({ path: a, expect: "product" });
  files.push({ path: `${paths.buildDir}mirage/.unik-build.json`, expect: "product" });
  for (const f of Object.keys(saved.files)) {
    if (f.endsWith(".opam")) files.push({ path: `${f}.locked`, expect: "product" });
  }
  // The step logs unik build writes (lib/toolchain/process.ts), by their own name pattern only.
  const logs = `${paths.buildDir}mirage/log`;
  try {
    for await (const e of Deno.readDir(join(paths.root, logs))) {
      if (e.isFile && /^[\w.-]+\.log$/.test(e.name)) {
        files.push({ path: `${logs}/${e.name}`, expect: "product" });
      }
    }
  } catch { /* no build has run */ }
  // The context goes last: while it is there, an interrupted clean can be run again.
  files.push({ path: relative(paths.root, paths.contextPath), expect: "context" });
  if (dryRun) {
    for (const f of files) io.err(`* Rm ${f.path}\n`);
    return files.map((f) => f.path);
  }
  const { removed, kept } = await removeGenerated(
    paths.root,
    files,
    [logs, ...generatedDirs(paths.buildDir)],
    io.fs,
  );
  for (const k of kept) notice(io, `Kept ${k}: it changed since unik wrote it.\n`);
  return removed;
}
