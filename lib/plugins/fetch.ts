/**
 * Downloading plugin modules and keeping them: `http(s):` through fetch (with a time limit and a
 * size limit), `file:` from disk, and a content-addressed cache so that a locked plugin loads
 * with no network. Nothing here decides whether content is trusted; the resolver checks hashes.
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { pluginError } from "../errors.ts";
import { sha256 } from "../digest.ts";
import { replaceFile } from "../write.ts";

/** The largest module unik downloads. */
export const MAX_MODULE_BYTES = 4 * 1024 * 1024;

/** Gets the bytes of a module URL. */
export type Fetcher = (url: string) => Promise<Uint8Array>;

/** How long one download may take (ms), `UNIK_FETCH_TIMEOUT_MS` to change it. */
function timeoutMs(): number {
  return Number(Deno.env.get("UNIK_FETCH_TIMEOUT_MS") ?? 30_000);
}

/** Downloads `url` (http, https or file). */
export const fetchModule: Fetcher = async (url) => {
  if (url.startsWith("file:")) {
    try {
      return await Deno.readFile(fileURLToPath(url));
    } catch (e) {
      throw pluginError(`cannot read plugin module ${url}: ${(e as Error).message}`);
    }
  }
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs()), redirect: "follow" });
  } catch (e) {
    throw pluginError(`cannot download plugin module ${url}: ${(e as Error).message}`, {
      hint: "check the network and the URL; a plugin already in unik.lock and in the cache " +
        "loads without the network",
    });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw pluginError(
      `cannot download plugin module ${url}: the server answered ${response.status} ${response.statusText}`,
      { hint: "check the URL (and the registry entry it came from)" },
    );
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > MAX_MODULE_BYTES) {
    throw pluginError(`plugin module ${url} is larger than ${MAX_MODULE_BYTES} bytes`);
  }
  return bytes;
};

/** A cache of module contents keyed by their sha256. */
export interface ModuleCache {
  /** The bytes with this sha256, if cached (a corrupted entry counts as absent). */
  get(sha: string): Promise<Uint8Array | undefined>;
  /** Keeps bytes (best effort: a read-only cache is not an error). */
  put(sha: string, bytes: Uint8Array): Promise<void>;
}

/** A cache in a directory (none when `dir` is undefined). */
export function directoryCache(dir: string | undefined): ModuleCache {
  return {
    async get(sha) {
      if (!dir) return undefined;
      try {
        const bytes = await Deno.readFile(join(dir, sha));
        return await sha256(bytes) === sha ? bytes : undefined;
      } catch {
        return undefined;
      }
    },
    async put(sha, bytes) {
      if (!dir) return;
      try {
        await Deno.mkdir(dir, { recursive: true });
        await replaceFile(join(dir, sha), bytes);
      } catch { /* caching is an optimisation */ }
    },
  };
}
