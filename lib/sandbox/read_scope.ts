/**
 * What the sandbox may read, decided by unik alone, never by what config.ts contains: the
 * project directory (by its real path, and only while no symlink in it leads out of it) and
 * unik's own sources. For a replayable configure it is narrower still: the config's local
 * modules, each a file whose real path is inside the project. The list of local modules comes
 * from scanning config.ts's imports, so a string that merely looks like an import (`"import
 * '/'"`) could name any path: only the files of that list inside the project are readable, so
 * it can never widen the scope beyond the project.
 * @module
 */

import { join, relative, sep } from "node:path";
import { configError } from "../errors.ts";

/** Whether `path` (absolute, real) is `root` or below it. */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !rel.startsWith(sep));
}

/**
 * The paths of `modules` the sandbox may read: each existing regular file whose real path is
 * inside the project (`root` being the project's real path), under both its path and its real
 * path. The rest stay unreadable: importing one fails in the sandbox.
 */
export function readableModules(modules: readonly string[], root: string): string[] {
  const out = new Set<string>();
  for (const path of modules) {
    try {
      const real = Deno.realPathSync(path);
      if (!isInside(root, real) || !Deno.statSync(real).isFile) continue;
      out.add(real);
      if (isInside(root, path)) out.add(path);
    } catch { /* missing: its import fails as "module not found" */ }
  }
  return [...out];
}

/**
 * Checks that the project (its real path `root`) may be made readable: no symlink in it leads
 * out of it, since the sandbox's read permission follows paths, not real paths. Throws the
 * config error naming the first such link.
 */
export async function assertNoEscapingLinks(root: string): Promise<void> {
  const walk = async (dir: string): Promise<void> => {
    for await (const entry of Deno.readDir(dir)) {
      const path = join(dir, entry.name);
      if (entry.isSymlink) {
        let real: string;
        try {
          real = await Deno.realPath(path);
        } catch {
          continue; // dangling: nothing to read through it
        }
        if (!isInside(root, real)) {
          throw configError(
            `config.ts reads files, and ${relative(root, path)} is a link out of the project ` +
              `(to ${real}): the sandbox may read only the project`,
            { hint: "remove the link, or copy what it points to into the project" },
          );
        }
      } else if (entry.isDirectory) await walk(path);
    }
  };
  await walk(root);
}
