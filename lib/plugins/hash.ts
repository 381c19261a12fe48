/**
 * Content hashes of plugins. A plugin's integrity is the sha256 of its module graph: the
 * sorted lines `<sha256 of a module>  <its URL relative to the entry module's directory>`,
 * so a plugin mirrored on another host keeps its hash.
 * @module
 */

import { sha256 } from "../digest.ts";

/** A module URL as written in the integrity listing: relative to the entry's directory. */
export function relativeToEntry(entryUrl: string, moduleUrl: string): string {
  const dir = entryUrl.slice(0, entryUrl.lastIndexOf("/") + 1);
  return moduleUrl.startsWith(dir) ? moduleUrl.slice(dir.length) : moduleUrl;
}

/** The integrity string (`sha256-<hex>`) of a module graph given each module's sha256. */
export async function graphIntegrity(
  entryUrl: string,
  modules: Readonly<Record<string, string>>,
): Promise<string> {
  const lines = Object.entries(modules)
    .map(([url, sha]) => `${sha}  ${relativeToEntry(entryUrl, url)}\n`)
    .sort();
  return `sha256-${await sha256(lines.join(""))}`;
}

/** An integrity as registries may write it (`sha256-<hex>` or bare hex), normalised. */
export function normaliseIntegrity(value: string): string {
  return value.startsWith("sha256-") ? value : `sha256-${value}`;
}
