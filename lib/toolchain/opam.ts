/**
 * opam: installs the switch dependencies of the unikernel's opam file (`make install-switch`).
 * @module
 */

import type { Step } from "./process.ts";

/** `opam install <opam file> --deps-only --yes [--no-depexts]`. */
export function installSwitchDeps(root: string, opamFile: string, depext: boolean): Step {
  return {
    title: "install switch dependencies",
    tool: "opam",
    args: ["install", opamFile, "--deps-only", "--yes", ...(depext ? [] : ["--no-depexts"])],
    cwd: root,
  };
}
