/**
 * Resolving a plugin: from its entry URL to the verified text of every module of its graph.
 * A locked plugin is read from the cache or downloaded and must match `unik.lock` byte for
 * byte; an unlocked one is downloaded and hashed so that the caller can lock it.
 * @module
 */

import { pluginError, UnikError } from "../errors.ts";
import type { Fetcher, ModuleCache } from "./fetch.ts";
import { sha256 } from "../digest.ts";
import { graphIntegrity } from "./hash.ts";
import { isBuiltinSpecifier, isRelativeSpecifier, scanImports } from "./imports.ts";
import type { LockedPlugin } from "./lock.ts";

/** The most modules one plugin graph may have. */
export const MAX_MODULES = 256;

/** A plugin whose every module is known and verified. */
export interface ResolvedPlugin {
  /** The entry module's URL. */
  readonly entry: string;
  /** The graph's integrity (`sha256-<hex>`). */
  readonly integrity: string;
  /** sha256 of each module, by URL. */
  readonly modules: Readonly<Record<string, string>>;
  /** The text of each module, by URL. */
  readonly sources: Readonly<Record<string, string>>;
  /** Whether any module came from the network (not the cache). */
  readonly downloaded: boolean;
}

/** Where modules come from. */
export interface Sources {
  /** Downloads a module. */
  readonly fetch: Fetcher;
  /** Keeps downloaded modules. */
  readonly cache: ModuleCache;
}

/**
 * The origins a module may import from: a remote (http or https) module only other http(s)
 * modules, so that no plugin served from a host can have unik read a local file (a secret, or
 * `/proc/self/environ`) and hand it to the sandbox, the cache and the lock; a local (`file:`)
 * plugin also other local modules.
 */
function importableProtocols(url: string): readonly string[] {
  return url.startsWith("file:") ? ["http:", "https:", "file:"] : ["http:", "https:"];
}

/** The URLs a module's imports resolve to; a specifier a plugin may not use is an error. */
export function moduleDependencies(entry: string, url: string, source: string): string[] {
  const deps: string[] = [];
  const allowed = importableProtocols(url);
  for (const site of scanImports(source)) {
    const s = site.specifier;
    if (isBuiltinSpecifier(s)) continue;
    let resolved: URL | undefined;
    try {
      resolved = isRelativeSpecifier(s) || /^[a-z][a-z0-9+.-]*:/i.test(s) || s.startsWith("/")
        ? new URL(s, url)
        : undefined;
    } catch {
      resolved = undefined;
    }
    if (resolved && allowed.includes(resolved.protocol)) {
      resolved.hash = "";
      deps.push(resolved.href);
      continue;
    }
    throw pluginError(
      `plugin ${entry} imports ${
        JSON.stringify(s)
      } (${url}:${site.line}), which unik cannot verify: nothing was fetched from it`,
      {
        hint: url.startsWith("file:")
          ? 'a plugin may import other modules by URL or relative path, "unik", "unik/..." ' +
            "and node: built-ins"
          : 'a plugin served over http(s) may import only http(s) modules (by URL or relative path), "unik", "unik/..." and node: built-ins: ' +
            "not file:, data:, blob:, npm: or jsr: modules nor bare names",
      },
    );
  }
  return deps;
}

function decode(url: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw pluginError(`plugin module ${url} is not UTF-8 text`);
  }
}

async function bytesOf(
  url: string,
  expected: string | undefined,
  entry: string,
  sources: Sources,
): Promise<{ bytes: Uint8Array; sha: string; downloaded: boolean }> {
  if (expected) {
    const cached = await sources.cache.get(expected);
    if (cached) return { bytes: cached, sha: expected, downloaded: false };
  }
  let bytes: Uint8Array;
  try {
    bytes = await sources.fetch(url);
  } catch (e) {
    // A module the entry imports is reported against the plugin, which is what the user named.
    if (!(e instanceof UnikError) || url === entry) throw e;
    throw new UnikError(e.kind, `plugin ${entry}: ${e.message}`, { hint: e.hint });
  }
  const sha = await sha256(bytes);
  if (expected && sha !== expected) {
    throw pluginError(
      `plugin ${entry} has changed since it was locked: ${url} has sha256 ${sha}, ` +
        `unik.lock records ${expected}`,
      {
        hint: "the plugin was tampered with or republished; if you trust the new content, " +
          `run: unik plugin update ${entry}`,
      },
    );
  }
  await sources.cache.put(sha, bytes);
  return { bytes, sha, downloaded: true };
}

/**
 * Resolves the plugin at `entry`. With `locked`, every module must be the one recorded; without,
 * the graph is downloaded as it is now.
 */
export async function resolvePlugin(
  entry: string,
  locked: LockedPlugin | undefined,
  sources: Sources,
): Promise<ResolvedPlugin> {
  const modules: Record<string, string> = {};
  const texts: Record<string, string> = {};
  const state = new Map<string, "visiting" | "done">();
  let downloaded = false;
  const visit = async (url: string, trail: string[]): Promise<void> => {
    const seen = state.get(url);
    if (seen === "done") return;
    if (seen === "visiting") {
      throw pluginError(
        `plugin ${entry} has an import cycle: ${
          [...trail.slice(trail.indexOf(url)), url].join(" -> ")
        }`,
        { hint: "unik loads plugins from verified text, module by module: remove the cycle" },
      );
    }
    if (state.size >= MAX_MODULES) {
      throw pluginError(`plugin ${entry} has more than ${MAX_MODULES} modules`);
    }
    const expected = locked?.modules[url];
    if (locked && !expected) {
      throw pluginError(`unik.lock does not record ${url}, which plugin ${entry} imports`, {
        hint: `the lock entry is incomplete or was edited: run unik plugin update ${entry}`,
      });
    }
    state.set(url, "visiting");
    const got = await bytesOf(url, expected, entry, sources);
    downloaded ||= got.downloaded;
    const text = decode(url, got.bytes);
    modules[url] = got.sha;
    texts[url] = text;
    for (const dep of moduleDependencies(entry, url, text)) await visit(dep, [...trail, url]);
    state.set(url, "done");
  };
  await visit(entry, []);
  const integrity = await graphIntegrity(entry, modules);
  if (locked && integrity !== locked.integrity) {
    throw pluginError(
      `plugin ${entry}: unik.lock records integrity ${locked.integrity}, but its modules hash to ${integrity}`,
      { hint: `unik.lock was edited by hand: run unik plugin update ${entry}` },
    );
  }
  return { entry, integrity, modules, sources: texts, downloaded };
}
