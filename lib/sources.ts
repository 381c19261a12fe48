/**
 * unik's own typed sources, where an editor and `deno check` can read them: the import map that
 * resolves `unik`, `unik/...` and `unik/plugins/<family>` in a user's project (the deno.json
 * `unik init` writes, and the one `unik check` uses). A unik run from files (a checkout, an
 * install from one) maps them to those files; a compiled unik writes its embedded sources out
 * once, by version, under its cache directory; a unik run from JSR maps them to its package.
 * @module
 */

import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { cacheDir, type Env } from "./cache_dir.ts";
import { UnikError } from "./errors.ts";
import { isRelativeSpecifier, scanImports } from "./plugins/imports.ts";
import { UNIK_VERSION } from "./version.ts";

/** The standard plugin families: `plugins/<family>.ts`, exported as `./plugins/<family>`. */
export const PLUGIN_FAMILIES: readonly string[] = [
  "argv",
  "arp",
  "block",
  "conduit",
  "dns",
  "ethernet",
  "git",
  "happy_eyeballs",
  "http",
  "ip",
  "kv",
  "mimic",
  "monitoring",
  "network",
  "network_args",
  "qubesdb",
  "random",
  "reporter",
  "resolver",
  "runtime",
  "stack",
  "syslog",
  "tcp",
  "time",
  "udp",
];

/** unik's own root (the directory of main.ts), as a URL with a trailing slash. */
export const UNIK_ROOT: URL = new URL("../", import.meta.url);

/** The modules an editor needs, relative to the root: the API and the plugins (what they import follows). */
const ENTRIES = ["lib/mod.ts", ...PLUGIN_FAMILIES.map((f) => `plugins/${f}.ts`)];

/**
 * The import map entries for unik's sources below `root` (a URL with a trailing slash): `unik`,
 * every `unik/plugins/<family>` with and without `.ts`, and `unik/` for the rest.
 */
export function fileImports(root: string): Record<string, string> {
  const imports: Record<string, string> = { "unik": `${root}lib/mod.ts`, "unik/": root };
  for (const f of PLUGIN_FAMILIES) imports[`unik/plugins/${f}`] = `${root}plugins/${f}.ts`;
  return imports;
}

/** The import map entries for unik's JSR package at `version`. */
export function jsrImports(version: string): Record<string, string> {
  const pkg = `jsr:@unik/unik@${version}`;
  const imports: Record<string, string> = { "unik": pkg };
  for (const f of PLUGIN_FAMILIES) {
    imports[`unik/plugins/${f}`] = `${pkg}/plugins/${f}`;
    imports[`unik/plugins/${f}.ts`] = `${pkg}/plugins/${f}`;
  }
  return imports;
}

/**
 * Copies the modules below `from` (a file URL with a trailing slash) that the API and the
 * plugins import, following relative imports, into the directory `to`. Written to a scratch
 * directory first and renamed into place, so that `to` is complete or absent.
 */
export async function writeSources(from: URL, to: string): Promise<void> {
  const files = new Map<string, string>();
  const visit = async (rel: string): Promise<void> => {
    if (files.has(rel)) return;
    const url = new URL(rel, from);
    const text = await Deno.readTextFile(url);
    files.set(rel, text);
    for (const site of scanImports(text)) {
      if (!isRelativeSpecifier(site.specifier)) continue;
      const target = new URL(site.specifier, url);
      if (!target.href.startsWith(from.href)) continue;
      await visit(target.href.slice(from.href.length));
    }
  };
  for (const entry of ENTRIES) await visit(entry);
  await Deno.mkdir(dirname(to), { recursive: true });
  const scratch = await Deno.makeTempDir({ dir: dirname(to), prefix: ".sources-" });
  try {
    for (const [rel, text] of files) {
      await Deno.mkdir(dirname(join(scratch, rel)), { recursive: true });
      await Deno.writeTextFile(join(scratch, rel), text);
    }
    await Deno.rename(scratch, to);
  } catch (e) {
    await Deno.remove(scratch, { recursive: true }).catch(() => {});
    // Another unik wrote them first: theirs are the same sources.
    if (!(await exists(to))) throw e;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Where a compiled unik writes its sources: `<cache>/sources/<version>`. */
export function writtenSourcesDir(env: Env): string {
  const dir = cacheDir(env, join("sources", UNIK_VERSION));
  if (!dir) {
    throw new UnikError("io", "cannot write unik's sources for the editor: no home directory", {
      hint: "set HOME, XDG_CACHE_HOME or UNIK_CACHE_DIR",
    });
  }
  return dir;
}

/** The import map that resolves unik's specifiers to typed sources an editor can read. */
export async function editorImports(env: Env): Promise<Record<string, string>> {
  if (Deno.build.standalone) {
    // The embedded sources are readable only by this binary: write them out once per version.
    const dir = writtenSourcesDir(env);
    if (!(await exists(dir))) await writeSources(UNIK_ROOT, dir);
    return fileImports(pathToFileURL(`${dir}/`).href);
  }
  if (UNIK_ROOT.protocol === "file:") return fileImports(UNIK_ROOT.href);
  return jsrImports(UNIK_VERSION);
}
