/**
 * Downloading plugin modules and registries and keeping modules: `http(s):` through fetch (with
 * a time limit, a size limit applied while reading, and no redirect to another origin), `file:`
 * from disk (a regular file, read no further than the size limit), and a content-addressed cache
 * so that a locked plugin loads with no network. Nothing here decides whether content is trusted;
 * the resolver checks hashes.
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { pluginError, UnikError } from "../errors.ts";
import { sha256 } from "../digest.ts";
import { replaceFile } from "../write.ts";

/** The largest module (or registry index) unik reads. */
export const MAX_MODULE_BYTES = 4 * 1024 * 1024;

/** The most same-origin redirects one download follows. */
export const MAX_REDIRECTS = 5;

/** Gets the bytes of a module or registry URL. */
export type Fetcher = (url: string) => Promise<Uint8Array>;

/** How long one download may take (ms), `UNIK_FETCH_TIMEOUT_MS` to change it. */
function timeoutMs(): number {
  return Number(Deno.env.get("UNIK_FETCH_TIMEOUT_MS") ?? 30_000);
}

function tooLarge(url: string): Error {
  return pluginError(`${url} is larger than ${MAX_MODULE_BYTES} bytes`, {
    hint: "unik reads plugin modules and registry indexes of at most 4 MiB",
  });
}

/**
 * Reads a stream, stopping (and cancelling it) as soon as it exceeds the limit: a server that
 * streams an endless body costs unik at most the limit, never the whole body.
 */
async function readLimited(
  url: string,
  stream: ReadableStream<Uint8Array>,
  limit: number,
): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > limit) {
        await reader.cancel().catch(() => {});
        throw tooLarge(url);
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return bytes;
}

/** Reads a local file: only a regular file, and no more than the limit. */
async function readLocal(url: string): Promise<Uint8Array> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(fileURLToPath(url), { read: true });
  } catch (e) {
    throw pluginError(`cannot read ${url}: ${(e as Error).message}`);
  }
  try {
    const info = await file.stat();
    if (!info.isFile) throw pluginError(`cannot read ${url}: it is not a regular file`);
    if (info.size > MAX_MODULE_BYTES) throw tooLarge(url);
    return await readLimited(url, file.readable, MAX_MODULE_BYTES);
  } finally {
    try {
      file.close();
    } catch { /* file.readable closes the file when it ends */ }
  }
}

/**
 * One GET, following redirects only within the URL's origin: a plugin host cannot send unik to
 * another host (whose content the lock would attribute to the URL it asked for), nor to a
 * `file:` or `data:` URL.
 */
async function getSameOrigin(url: string, signal: AbortSignal): Promise<Response> {
  const origin = new URL(url).origin;
  let current = url;
  for (let hops = 0;; hops++) {
    const response = await fetch(current, { signal, redirect: "manual" });
    if (response.status < 300 || response.status >= 400 || !response.headers.has("location")) {
      return response;
    }
    await response.body?.cancel();
    const next = new URL(response.headers.get("location")!, current);
    if (next.origin !== origin || !/^https?:$/.test(next.protocol)) {
      throw pluginError(
        `${url} redirects to ${next.href}, another origin: unik does not follow it`,
        {
          hint: "a plugin or registry is locked by the URL unik asks for: use the final URL " +
            "itself, after checking that you trust that host",
        },
      );
    }
    if (hops >= MAX_REDIRECTS) {
      throw pluginError(`${url} redirects more than ${MAX_REDIRECTS} times`);
    }
    current = next.href;
  }
}

/** Downloads `url` (http, https or file). */
export const fetchModule: Fetcher = async (url: string): Promise<Uint8Array> => {
  if (url.startsWith("file:")) return await readLocal(url);
  if (!/^https?:/.test(url)) throw pluginError(`cannot download ${url}: not an http(s) URL`);
  const signal = AbortSignal.timeout(timeoutMs());
  let response: Response;
  try {
    response = await getSameOrigin(url, signal);
  } catch (e) {
    if (e instanceof UnikError) throw e;
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
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > MAX_MODULE_BYTES) {
    await response.body?.cancel();
    throw tooLarge(url);
  }
  if (!response.body) return new Uint8Array();
  try {
    return await readLimited(url, response.body, MAX_MODULE_BYTES);
  } catch (e) {
    if (e instanceof UnikError) throw e;
    throw pluginError(`cannot download plugin module ${url}: ${(e as Error).message}`);
  }
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
