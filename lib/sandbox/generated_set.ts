/**
 * The files a configure may write, checked after unik generated them from the sandbox's
 * evaluation: the Makefile, dune-project and dune-workspace at the root; dune, dune.build,
 * dune.config and dist/dune in the build directory; plain names in its mirage/. Every path is
 * relative and normalised (links out of the project are write.ts's to refuse). The names that
 * come from the sandbox (register name, hook files) are validated by protocol.ts already: this
 * is the last check, on what unik generated from them.
 * @module
 */

import { UnikError } from "../errors.ts";
import { checkFileName } from "../validate/mod.ts";
import type { Configured } from "../configure.ts";

/** Whether `name` may be a file of mirage/: a file name (lib/validate's grammar), not hidden. */
function isMirageName(name: string): boolean {
  return !name.startsWith(".") && checkFileName(name) === undefined;
}

/** Whether `path` is one of the files configure generates for a build directory. */
export function isGeneratedPath(path: string, buildDir: string): boolean {
  if (["Makefile", "dune-project", "dune-workspace"].includes(path)) return true;
  if (!path.startsWith(buildDir)) return false;
  const rest = path.slice(buildDir.length);
  if (["dune", "dune.build", "dune.config", "dist/dune"].includes(rest)) return true;
  return rest.startsWith("mirage/") && isMirageName(rest.slice("mirage/".length));
}

/** Whether a build directory (`""` or `app/`) is relative, normalised and ends with a slash. */
function isBuildDir(buildDir: string): boolean {
  if (buildDir === "") return true;
  if (!buildDir.endsWith("/") || buildDir.startsWith("/") || buildDir.includes("\\")) return false;
  return buildDir.slice(0, -1).split("/").every((s) => s !== "" && s !== "." && s !== "..");
}

/**
 * Throws unless every file of `configured` is of the generated set for config file
 * `configFile` (relative to the project), each once.
 */
export function checkGeneratedSet(configured: Configured, configFile: string): void {
  const slash = configFile.lastIndexOf("/");
  const buildDir = slash < 0 ? "" : configFile.slice(0, slash + 1);
  const seen = new Set<string>();
  const bad = (what: string) =>
    new UnikError("config", `configure would write ${what}, which is not a generated file`, {
      hint: "config.ts or a plugin interferes with unik's evaluation: do not use it",
    });
  if (!isBuildDir(buildDir)) throw bad(JSON.stringify(buildDir));
  for (const { path } of configured.files) {
    if (seen.has(path) || !isGeneratedPath(path, buildDir)) throw bad(JSON.stringify(path));
    seen.add(path);
  }
  if (!isGeneratedPath(configured.opamFile, buildDir)) throw bad(configured.opamFile);
}
