/**
 * opam-monorepo: locks the unikernel's monorepo dependencies and pulls their sources into
 * `duniverse/` (`make lock`, `make depext-lockfile`, `make pull`).
 * @module
 */

import type { Step } from "./process.ts";

const ENV = { OPAMVAR_monorepo: "opam-monorepo" };

/** `opam monorepo lock --require-cross-compile --build-only <name> -l <lock> --ocaml-version <v>`. */
export function lock(root: string, opamName: string, lockFile: string, ocamlVersion: string): Step {
  return {
    title: "lock monorepo dependencies",
    label: "lock",
    tool: "opam",
    args: [
      "monorepo",
      "lock",
      "--require-cross-compile",
      "--build-only",
      opamName,
      "-l",
      lockFile,
      "--ocaml-version",
      ocamlVersion,
    ],
    cwd: root,
    env: ENV,
  };
}

/** `opam monorepo depext -y -l <lock>`. */
export function depext(root: string, lockFile: string): Step {
  return {
    title: "install external dependencies",
    label: "depext",
    tool: "opam",
    args: ["monorepo", "depext", "-y", "-l", lockFile],
    cwd: root,
    env: ENV,
  };
}

/** `opam monorepo pull -l <lock> -r <root>`: sources into `duniverse/`. */
export function pull(root: string, lockFile: string): Step {
  return {
    title: "pull monorepo dependencies into duniverse/",
    label: "pull",
    tool: "opam",
    args: ["monorepo", "pull", "-l", lockFile, "-r", root],
    cwd: root,
    env: ENV,
  };
}
