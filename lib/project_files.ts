/**
 * Which paths unik's project state may name, and whether a path stays inside the project on
 * disk. The saved context, the write journal and the command line are read from the project
 * directory, which may come from anyone's repository: every path they hold is checked here
 * before unik writes, renames or removes anything.
 * @module
 */

import { dirname, isAbsolute, join, normalize, resolve, sep } from "node:path";
import { UnikError } from "./errors.ts";

/** One file name: no directory part, not hidden, no control characters, not `.` or `..`. */
// deno-lint-ignore no-control-regex
const FILE_NAME = /^[^/\\.\x00-\x1f\x7f][^/\\\x00-\x1f\x7f]*$/;

/** An OCaml compilation unit name, as mirage requires of `-o`. */
const MODULE_NAME = /^[A-Za-z][A-Za-z0-9_']*$/;

/** Whether `name` can be the output (`-o`): an OCaml module name. */
export function isModuleName(name: string): boolean {
  return MODULE_NAME.test(name);
}

/**
 * Whether `path` is relative, normalised and inside its root: no `..`, no `.` part, no empty
 * part, no backslash, no control character.
 */
export function isProjectRelative(path: unknown): path is string {
  if (typeof path !== "string" || path === "" || isAbsolute(path)) return false;
  // deno-lint-ignore no-control-regex
  if (/[\\\x00-\x1f\x7f]/.test(path)) return false;
  return path.split("/").every((part) => part !== "" && part !== "." && part !== "..") &&
    normalize(path) === path;
}

/** Whether `name` is a plain file name (one path part, not hidden). */
export function isFileName(name: string): boolean {
  return FILE_NAME.test(name) && name !== "." && name !== "..";
}

/**
 * Whether `path` is a file configure generates for a project whose build directory is
 * `buildDir` (`""` or ending in `/`): the Makefile, the dune files, and the files of
 * `<build dir>/mirage/`.
 */
export function isGeneratedFile(path: string, buildDir: string): boolean {
  if (!isProjectRelative(path)) return false;
  if (["Makefile", "dune-project", "dune-workspace"].includes(path)) return true;
  if (!path.startsWith(buildDir)) return false;
  const rest = path.slice(buildDir.length);
  if (["dune", "dune.build", "dune.config", "dist/dune"].includes(rest)) return true;
  return rest.startsWith("mirage/") && isFileName(rest.slice("mirage/".length));
}

/**
 * Whether `path` has the shape of a generated file for some build directory: what a journal
 * may name, since it is read before the command line says where the build directory is.
 */
export function isGeneratedFileOfAnyBuildDir(path: string): boolean {
  const m = /^(?:(.*\/))?(?:mirage\/[^/]+|dist\/dune|dune|dune\.build|dune\.config)$/.exec(path);
  return isGeneratedFile(path, "") || (m !== null && isGeneratedFile(path, m[1] ?? ""));
}

/** Whether `path` can be a build product unik removes: a file of `<build dir>/dist/`. */
export function isArtifact(path: string, buildDir: string): boolean {
  if (!isProjectRelative(path) || !path.startsWith(`${buildDir}dist/`)) return false;
  const name = path.slice(`${buildDir}dist/`.length);
  return isFileName(name) && name !== "dune";
}

function within(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * Checks that `path` (relative to `root`) leads to a place inside the project once symbolic
 * links are followed: a link on the way that leaves the project (or leads nowhere) would make
 * a write, rename or removal land outside it. The parts that do not exist yet are fine; unik
 * creates them as directories. Throws a files error (exit 7) naming the link.
 */
export async function assertInsideProject(root: string, path: string): Promise<void> {
  const realRoot = await Deno.realPath(root);
  let current = realRoot;
  const parts = path.split("/");
  for (let i = 0; i < parts.length; i++) {
    const next = join(current, parts[i]);
    let info: Deno.FileInfo;
    try {
      info = await Deno.lstat(next);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return;
      if (e instanceof Deno.errors.NotADirectory) return;
      throw new UnikError("io", `cannot inspect ${path}: ${(e as Error).message}`);
    }
    if (!info.isSymlink) {
      current = next;
      continue;
    }
    const shown = parts.slice(0, i + 1).join("/");
    let target: string | undefined;
    try {
      target = await Deno.realPath(next);
    } catch { /* a dangling link: refused below */ }
    if (target === undefined || !within(realRoot, target)) {
      const where = target ?? resolve(dirname(next), await Deno.readLink(next).catch(() => "?"));
      throw new UnikError(
        "io",
        `refusing to write through ${shown}: it is a symbolic link leading out of the project (to ${where})`,
        { hint: `replace the link ${shown} by a directory or file of the project` },
      );
    }
    current = target;
  }
}
