/**
 * dune: builds the unikernel and promotes the artifact into `dist/` (`make build`).
 * @module
 */

import type { Step } from "./process.ts";

/** `dune build --profile release --root . <build dir>dist`. */
export function build(root: string, buildDir: string): Step {
  return {
    title: "build the unikernel",
    label: "dune",
    tool: "dune",
    args: ["build", "--profile", "release", "--root", ".", `${buildDir || "./"}dist`],
    cwd: root,
  };
}
