/**
 * opam: installs the switch dependencies of the unikernel's opam file (`make install-switch`)
 * and adds the overlay repositories around the lock (`make repo-add`, `make repo-rm`).
 * @module
 */

import { UnikError, usageError } from "../errors.ts";
import { capture, type Step } from "./process.ts";

/** `opam install <opam file> --deps-only --yes [--no-depexts]`. */
export function installSwitchDeps(root: string, opamFile: string, depext: boolean): Step {
  return {
    title: "install switch dependencies",
    label: "switch",
    tool: "opam",
    args: ["install", opamFile, "--deps-only", "--yes", ...(depext ? [] : ["--no-depexts"])],
    cwd: root,
  };
}

/**
 * Checks an overlay repository against what opam accepts as a repository name and URL; neither
 * may start with `-`, where opam would read an option.
 */
export function checkRepository([name, url]: readonly [string, string]): void {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/.test(name)) {
    throw usageError(`invalid extra repository name '${name}'`, {
      hint: "a repository name is letters, digits, '_', '.', '+' and '-', not first",
    });
  }
  if (!/^[A-Za-z0-9_.~/+][^\s]*$/.test(url)) {
    throw usageError(`invalid extra repository URL '${url}' (of ${name})`, {
      hint: "give a URL or path without white space, not starting with '-'",
    });
  }
}

/** The names of the repositories of the current switch (`opam repository list --short`). */
export async function switchRepositories(root: string): Promise<string[]> {
  const r = await capture("opam", ["repository", "list", "--short"], root);
  if (r.code !== 0) {
    throw new UnikError("toolchain", `opam repository list failed (exit code ${r.code})`, {
      hint: r.stderr.trim() || "check that opam is initialised (opam init)",
    });
  }
  return r.stdout.split("\n").map((l) => l.trim()).filter((l) => l !== "");
}

/** `opam repository add NAME URL`: the overlay in the current switch, for the lock. */
export function addRepository(root: string, [name, url]: readonly [string, string]): Step {
  checkRepository([name, url]);
  return {
    title: `add the overlay repository ${name}`,
    label: `repo-add-${name}`,
    tool: "opam",
    args: ["repository", "add", name, url],
    cwd: root,
  };
}

/** `opam repository remove NAME`: the switch as it was before the lock. */
export function removeRepository(root: string, name: string): Step {
  return {
    title: `remove the overlay repository ${name}`,
    label: `repo-rm-${name}`,
    tool: "opam",
    args: ["repository", "remove", name],
    cwd: root,
  };
}
