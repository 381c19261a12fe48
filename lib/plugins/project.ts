/**
 * The plugins a project's config.ts imports by URL: found in its source, resolved against
 * `unik.lock` (from the cache, else downloaded and verified) and, for a plugin not locked yet,
 * hashed so that the command can record it once it succeeds.
 * @module
 */

import { isAbsolute, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { pluginError } from "../errors.ts";
import { cacheDir, type Env } from "../cache_dir.ts";
import { directoryCache, type Fetcher, fetchModule } from "./fetch.ts";
import { type Lock, readLock } from "./lock.ts";
import { LOCK_FILE } from "../cli/project.ts";
import { type ResolvedPlugin, resolvePlugin, type Sources } from "./resolve.ts";

/** Options of plugin resolution. */
export interface PluginOptions {
  /** Refuse any change to unik.lock. */
  readonly frozen?: boolean;
  /** Environment (for the cache location). */
  readonly env: Env;
  /** Downloads modules (tests inject failures). */
  readonly fetch?: Fetcher;
}

/** The plugins of a project, ready for the sandbox, and the lock that records them. */
export interface ProjectPlugins {
  /** Verified plugins, in import order. */
  readonly plugins: readonly ResolvedPlugin[];
  /** The lock with every imported plugin recorded. */
  readonly lock: Lock;
  /** Whether `lock` differs from unik.lock on disk (new plugins to record). */
  readonly lockChanged: boolean;
}

/**
 * Downloads through `fetch`, but reads a local (`file:`) module only inside the project at
 * `root` (real paths: a symlink out of it counts as outside). unik hands a plugin's text to the
 * sandbox, the cache and the lock, so a `file:` plugin elsewhere on the disk (a secret,
 * `/proc/self/environ`) would be a read the sandbox itself may not make.
 */
export function confinedFetch(root: string, fetch: Fetcher = fetchModule): Fetcher {
  return async (url) => {
    if (url.startsWith("file:")) {
      let inside = false;
      try {
        const real = await Deno.realPath(fileURLToPath(url));
        const rel = relative(await Deno.realPath(root), real);
        inside = rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
      } catch {
        /* a missing file is reported by fetch itself */
        inside = true;
      }
      if (!inside) {
        throw pluginError(`plugin module ${url} is outside the project`, {
          hint: "a local plugin must live in the project directory: copy it there and " +
            "import it by that path",
        });
      }
    }
    return await fetch(url);
  };
}

/** Where the plugin modules of the project at `root` come from, for a given environment. */
export function pluginSources(env: Env, root: string, fetch: Fetcher = fetchModule): Sources {
  return { fetch: confinedFetch(root, fetch), cache: directoryCache(cacheDir(env, "plugins")) };
}

/** Resolves the plugins config.ts imports by URL (`entries`, as `pluginImports` finds them). */
export async function resolveProjectPlugins(
  root: string,
  entries: readonly string[],
  options: PluginOptions,
): Promise<ProjectPlugins> {
  if (entries.length === 0) {
    return { plugins: [], lock: { version: 1, plugins: {} }, lockChanged: false };
  }
  const lock = await readLock(root);
  const sources = pluginSources(options.env, root, options.fetch);
  const plugins: ResolvedPlugin[] = [];
  const recorded = { ...lock.plugins };
  let lockChanged = false;
  for (const entry of entries) {
    const locked = lock.plugins[entry];
    if (!locked && options.frozen) {
      throw pluginError(`${LOCK_FILE} does not record the plugin ${entry} (--frozen)`, {
        hint: `run unik configure without --frozen (or unik plugin add) and commit ${LOCK_FILE}`,
      });
    }
    const plugin = await resolvePlugin(entry, locked, sources);
    plugins.push(plugin);
    if (!locked) {
      recorded[entry] = { integrity: plugin.integrity, modules: plugin.modules };
      lockChanged = true;
    }
  }
  return { plugins, lock: { version: 1, plugins: recorded }, lockChanged };
}
