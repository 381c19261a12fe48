/**
 * `unik clean`: removes what configure generated (as recorded in the context) and the
 * artifacts, never a file of the user's.
 * @module
 */

import { relative } from "node:path";
import type { CliIO } from "../cli/io.ts";
import type { ProjectPaths } from "../cli/project.ts";
import { removeGenerated } from "../write.ts";
import { readSavedContext } from "./common.ts";
import { generatedDirs } from "./configure.ts";

/** Runs clean; returns the removed paths. */
export async function runClean(paths: ProjectPaths, io: CliIO, dryRun = false): Promise<string[]> {
  const saved = await readSavedContext(paths);
  if (!saved) return [];
  const contextRel = relative(paths.root, paths.contextPath);
  const files: Record<string, string | null> = { ...saved.files };
  for (const a of saved.artifacts) files[a] = null;
  // What unik build leaves in mirage/: its state and the opam-monorepo lock file.
  files[`${paths.buildDir}mirage/.unik-build.json`] = null;
  for (const f of Object.keys(saved.files)) if (f.endsWith(".opam")) files[`${f}.locked`] = null;
  files[contextRel] = null;
  if (dryRun) {
    for (const f of Object.keys(files)) io.err(`* Rm ${f}\n`);
    return Object.keys(files);
  }
  return await removeGenerated(
    paths.root,
    files,
    generatedDirs(paths.buildDir),
    io.fs,
  );
}
