/**
 * The opam `url` of a unikernel in a git checkout (register's `src: "auto"`): the `origin`
 * remote as `git+https://host/path#branch`. Read from `.git` directly, with no git process.
 * @module
 */

import { dirname, join } from "node:path";
import { checkOpamUrl } from "../validate/mod.ts";

async function readOr(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch {
    return undefined;
  }
}

/** The https form of a git remote URL (`git@host:path` and `ssh://` become https). */
export function httpsRemote(url: string): string | undefined {
  const scp = /^[^@/]+@([^:/]+):(.+)$/.exec(url);
  if (scp) return `https://${scp[1]}/${scp[2]}`;
  const ssh = /^(?:ssh|git):\/\/(?:[^@/]+@)?([^/:]+)(?::\d+)?\/(.+)$/.exec(url);
  if (ssh) return `https://${ssh[1]}/${ssh[2]}`;
  if (/^https?:\/\//.test(url)) return url;
  return undefined;
}

/**
 * The guessed source URL of the checkout containing `dir`, if any. Every file it looked at is
 * added to `probed`.
 */
export async function guessSrc(dir: string, probed: string[] = []): Promise<string | undefined> {
  let d = dir;
  for (;;) {
    const headPath = join(d, ".git", "HEAD");
    probed.push(headPath);
    const head = await readOr(headPath);
    if (head !== undefined) {
      const branch = /^ref: refs\/heads\/(.+)$/m.exec(head)?.[1];
      const configPath = join(d, ".git", "config");
      probed.push(configPath);
      const config = await readOr(configPath) ?? "";
      const origin = /\[remote "origin"\][^[]*?\burl\s*=\s*(\S+)/.exec(config)?.[1];
      const https = origin && httpsRemote(origin);
      if (!https || !branch) return undefined;
      const src = `git+${https}#${branch}`;
      // A checkout's .git/config is not unik's: an origin opam could not read is no source.
      return checkOpamUrl(src) === undefined ? src : undefined;
    }
    const parent = dirname(d);
    if (parent === d) return undefined;
    d = parent;
  }
}
