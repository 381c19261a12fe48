/**
 * Loading config.ts and its local modules inside the sandbox. There is no import map there
 * (unik runs with --no-config, installed or compiled), so each local TypeScript or JavaScript
 * module is read, its specifiers rewritten (see resolve.ts) and loaded as a blob URL standing
 * for the file; other local files (JSON, text) are imported by file URL, which the sandbox's
 * read permission governs. An import the sandbox does not provide stops the load before any
 * of the config's code runs, naming the file and line.
 * @module
 */

import { aliasUrl } from "../dsl/pos.ts";
import { registerSource } from "../dsl/call_text.ts";
import { rewriteImports } from "../plugins/imports.ts";
import { configError } from "../errors.ts";
import {
  importSites,
  isCodeModule,
  isRelative,
  refusedImport,
  resolveIn,
  unikModule,
  withModuleUrl,
} from "./resolve.ts";

// Taken before the worker watches the config's own file reads: loading modules is not one.
const readTextFile = Deno.readTextFile.bind(Deno);

function blobOf(source: string): string {
  return URL.createObjectURL(new Blob([source], { type: "application/typescript" }));
}

/**
 * Imports config.ts (a file URL); `facades` maps the plugin URLs it imports to the modules
 * that stand for them. Returns its namespace.
 */
export async function importConfig(
  configUrl: string,
  facades: ReadonlyMap<string, string>,
): Promise<Record<string, unknown>> {
  const blobs = new Map<string, string>();
  const loading = new Set<string>();
  const load = async (url: string): Promise<string> => {
    const done = blobs.get(url);
    if (done) return done;
    if (loading.has(url)) {
      throw configError(`${url} is imported in a cycle of local modules`, {
        hint: "the sandbox loads config.ts's local modules without cycles: break the cycle",
      });
    }
    loading.add(url);
    const source = await readTextFile(new URL(url));
    const sites = importSites(source);
    const targets = new Map<string, string>();
    for (const { specifier, line } of sites) {
      if (targets.has(specifier)) continue;
      targets.set(specifier, await targetOf(specifier, url, line));
    }
    const text = withModuleUrl(rewriteImports(source, sites, (s) => targets.get(s)), url);
    const blob = blobOf(text);
    aliasUrl(blob, url);
    // Messages quote the calls of this text, as evaluated, and point at their arguments.
    registerSource(url, text);
    blobs.set(url, blob);
    return blob;
  };
  const targetOf = async (specifier: string, url: string, line: number): Promise<string> => {
    const unik = unikModule(specifier);
    if (unik) return unik;
    if (specifier.startsWith("node:")) return specifier;
    if (/^(https?|file):/.test(specifier)) {
      const facade = facades.get(resolveIn(url, specifier));
      if (facade) return facade;
      throw refusedImport(
        specifier,
        url,
        line,
        "plugins are imported by URL from config.ts itself, which unik verifies and locks",
      );
    }
    if (isRelative(specifier)) {
      const target = resolveIn(url, specifier);
      return isCodeModule(target) ? await load(target) : target;
    }
    throw refusedImport(
      specifier,
      url,
      line,
      /^(npm|jsr):/.test(specifier)
        ? "the sandbox installs no packages"
        : "it is neither unik, a node: built-in, a relative module nor a plugin URL",
    );
  };
  return await import(await load(configUrl));
}
