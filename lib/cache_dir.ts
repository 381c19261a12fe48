/**
 * Where unik keeps what it may recompute or re-download: `$UNIK_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/unik`, else `~/.cache/unik`.
 * @module
 */

import { join } from "node:path";

/** The environment variables unik's cache location depends on. */
export type Env = Readonly<Record<string, string | undefined>>;

/** The cache sub-directory `sub`, or undefined when no home is known. */
export function cacheDir(env: Env, sub: string): string | undefined {
  if (env.UNIK_CACHE_DIR) return join(env.UNIK_CACHE_DIR, sub);
  const base = env.XDG_CACHE_HOME ?? (env.HOME ? join(env.HOME, ".cache") : undefined);
  return base && join(base, "unik", sub);
}

/** The user configuration directory: `$UNIK_CONFIG_HOME`, else `$XDG_CONFIG_HOME/unik`. */
export function configHome(env: Env): string | undefined {
  if (env.UNIK_CONFIG_HOME) return env.UNIK_CONFIG_HOME;
  const base = env.XDG_CONFIG_HOME ?? (env.HOME ? join(env.HOME, ".config") : undefined);
  return base && join(base, "unik");
}
