/**
 * A local duniverse (`--duniverse DIR`) mirrored into the project as `duniverse/`: files are
 * hard-linked (copied where DIR is on another file system), directories made, symbolic links
 * recreated. dune then sees a directory of the project rather than a link out of it, which it
 * needs for dune files in OCaml syntax (dune 2.9 evaluates them at a path relative to the
 * link). A re-sync touches only what changed: a hard link to the same file, or a copy of the
 * same size and modification time, is left alone, and what DIR no longer has is removed.
 * @module
 */

import { join, resolve } from "node:path";
import { UnikError, usageError } from "../errors.ts";

/** The file in `duniverse/` saying it mirrors DIR (and so is unik's to update). */
export const MIRROR_MARK = ".unik-duniverse";

/** What a sync did. */
export interface SyncCounts {
  /** Files linked or copied. */
  readonly written: number;
  /** Entries removed because DIR no longer has them. */
  readonly removed: number;
  /** Files found up to date. */
  readonly kept: number;
}

/** Whether `dest` already stands for `src`: the same file, or a copy of it kept in step. */
function upToDate(src: Deno.FileInfo, dest: Deno.FileInfo): boolean {
  if (!dest.isFile) return false;
  if (src.dev === dest.dev && src.ino !== null && src.ino === dest.ino) return true;
  return src.size === dest.size && src.mtime?.getTime() === dest.mtime?.getTime();
}

async function lstatOrUndefined(path: string): Promise<Deno.FileInfo | undefined> {
  try {
    return await Deno.lstat(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}

/** Hard-links `src` at `dest`, or copies it (keeping its times) across file systems. */
async function place(src: string, dest: string, info: Deno.FileInfo): Promise<void> {
  try {
    await Deno.link(src, dest);
  } catch {
    await Deno.copyFile(src, dest);
    if (info.mtime) await Deno.utime(dest, info.atime ?? info.mtime, info.mtime);
  }
}

async function sync(
  src: string,
  dest: string,
  counts: Record<keyof SyncCounts, number>,
  top = false,
): Promise<void> {
  const wanted = new Set<string>();
  for await (const entry of Deno.readDir(src)) {
    const from = join(src, entry.name);
    const to = join(dest, entry.name);
    wanted.add(entry.name);
    const info = await Deno.lstat(from);
    const there = await lstatOrUndefined(to);
    if (info.isDirectory) {
      if (there && !there.isDirectory) await Deno.remove(to, { recursive: true });
      if (!there || !there.isDirectory) await Deno.mkdir(to);
      await sync(from, to, counts);
    } else if (info.isSymlink) {
      const target = await Deno.readLink(from);
      if (there?.isSymlink && (await Deno.readLink(to)) === target) {
        counts.kept++;
        continue;
      }
      if (there) await Deno.remove(to, { recursive: true });
      await Deno.symlink(target, to);
      counts.written++;
    } else if (info.isFile) {
      if (there && upToDate(info, there)) {
        counts.kept++;
        continue;
      }
      if (there) await Deno.remove(to, { recursive: true });
      await place(from, to, info);
      counts.written++;
    }
  }
  for await (const entry of Deno.readDir(dest)) {
    if (!wanted.has(entry.name) && !(top && entry.name === MIRROR_MARK)) {
      await Deno.remove(join(dest, entry.name), { recursive: true });
      counts.removed++;
    }
  }
}

/**
 * Makes `root/duniverse` a mirror of `dir`. It may be absent, unik's earlier link to `dir`, or
 * an earlier mirror (of any directory); anything else is the user's and left alone.
 */
export async function mirrorDuniverse(root: string, dir: string): Promise<SyncCounts> {
  const source = resolve(root, dir);
  const dest = join(root, "duniverse");
  const mark = join(dest, MIRROR_MARK);
  if (dest === source || dest.startsWith(`${source}/`)) {
    throw usageError(`--duniverse ${dir}: the directory holds the project's own duniverse/`, {
      hint: "give a directory of package sources outside duniverse/",
    });
  }
  const there = await lstatOrUndefined(dest);
  if (there?.isSymlink) {
    // Earlier unik versions linked duniverse/ to the directory: replace that link.
    if (resolve(root, await Deno.readLink(dest)) !== source) throw notOurs();
    await Deno.remove(dest);
  } else if (there) {
    if (!there.isDirectory || !(await lstatOrUndefined(mark))?.isFile) throw notOurs();
  }
  await Deno.mkdir(dest, { recursive: true });
  const counts = { written: 0, removed: 0, kept: 0 };
  await sync(source, dest, counts, true);
  // Rewritten only when it changes: its times are part of the dune stamp (dune_stamp.ts).
  const marked = JSON.stringify({ source }) + "\n";
  if (await Deno.readTextFile(mark).catch(() => undefined) !== marked) {
    await Deno.writeTextFile(mark, marked);
  }
  return counts;
}

function notOurs(): UnikError {
  return new UnikError(
    "io",
    "duniverse/ already exists and is not unik's copy of a --duniverse directory",
    { hint: "remove duniverse/ (or build without --duniverse to use it)" },
  );
}
