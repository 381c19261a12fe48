/**
 * How to run this unik again, as it was started: what the generated Makefile (`make clean`) and
 * opam file (`x-mirage-configure`) call, so that they work without a `unik` on the PATH.
 * @module
 */

import { fileURLToPath } from "node:url";

const MAIN = new URL("../main.ts", import.meta.url);

/**
 * The command line prefix that runs this unik: the compiled binary itself, or deno running
 * unik's main module with the permissions and unstable flag unik needs and no deno.json of
 * wherever it is called from.
 */
export function unikInvocation(): string[] {
  if (Deno.build.standalone) return [Deno.execPath()];
  const main = MAIN.protocol === "file:" ? fileURLToPath(MAIN) : MAIN.href;
  return [Deno.execPath(), "run", "--allow-all", "--unstable-worker-options", "--no-config", main];
}
