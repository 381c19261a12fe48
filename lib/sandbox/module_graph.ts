/**
 * The local modules of a config: config.ts and every file it imports by relative path,
 * transitively. The sandbox may read exactly these (and unik), which is what makes them, with
 * the config's other declared inputs, all that an evaluation can depend on.
 * @module
 */

import { fileURLToPath, pathToFileURL } from "node:url";
import { scanImports } from "../plugins/imports.ts";

/**
 * Absolute paths of `configPath` and of the modules it reaches by relative (or absolute-path)
 * imports, in discovery order. A module that cannot be read is listed too: importing it fails
 * in the sandbox with Deno's own "module not found", not with a permission error.
 */
export async function localModuleGraph(configPath: string): Promise<string[]> {
  const seen = new Set<string>([configPath]);
  const queue = [configPath];
  while (queue.length > 0) {
    const path = queue.shift()!;
    let source: string;
    try {
      source = await Deno.readTextFile(path);
    } catch {
      continue;
    }
    const base = pathToFileURL(path);
    for (const { specifier } of scanImports(source)) {
      if (!/^\.{0,2}\//.test(specifier)) continue;
      const url = new URL(specifier, base);
      url.search = "";
      url.hash = "";
      const dep = fileURLToPath(url);
      if (!seen.has(dep)) {
        seen.add(dep);
        queue.push(dep);
      }
    }
  }
  return [...seen];
}
