/**
 * What a whole `unik build` or `unik run` needs from the machine, checked before anything runs:
 * the programs of its steps (opam, dune, ocamlc), the cross toolchain of the target (the
 * `solo5` or `unikraft` ocamlfind toolchain, `solo5-elftool`), and for run the tender, VMM or
 * toolstack and, for hvt, a usable `/dev/kvm`. Each missing one is reported with what needs it
 * and how to get it.
 * @module
 */

import { capture, commandExists } from "./process.ts";
import { UnikError } from "../errors.ts";
import type { Target } from "../target.ts";

/** Something the command needs. */
export interface ToolNeed {
  /** A program looked up on PATH, or `ocamlfind:NAME` for an ocamlfind toolchain. */
  readonly tool: string;
  /** What needs it, completing "needed to ...". */
  readonly purpose: string;
  /** Installed into the switch by the `opam install --deps-only` step of the build. */
  readonly fromSwitch?: boolean;
}

/** How to get each tool unik may need. */
export const INSTALL_HINTS: Readonly<Record<string, string>> = {
  opam: "install opam (apt-get install opam, or https://opam.ocaml.org/doc/Install.html)",
  dune: "install dune (opam install dune, or apt-get install ocaml-dune)",
  ocamlc: "install OCaml (opam switch create 4.14.2, or apt-get install ocaml)",
  ocamlfind: "install ocamlfind (opam install ocamlfind, or apt-get install ocaml-findlib)",
  "ocamlfind:solo5":
    "install ocaml-solo5 (opam install ocaml-solo5), which defines the solo5 ocamlfind toolchain",
  "ocamlfind:unikraft":
    "install ocaml-unikraft (opam install ocaml-unikraft), which defines the unikraft ocamlfind toolchain",
  "solo5-elftool": "install solo5 (opam install solo5)",
  "solo5-hvt": "install solo5 (opam install solo5) for the hvt tender",
  "solo5-spt": "install solo5 (opam install solo5) for the spt tender",
  "qemu-system-x86_64": "install QEMU (apt-get install qemu-system-x86)",
  firecracker: "install Firecracker (https://github.com/firecracker-microvm/firecracker/releases)",
  xl: "run on a Xen dom0 with the xl toolstack (apt-get install xen-utils)",
  "/dev/kvm":
    "enable KVM: load the kvm module (modprobe kvm_intel or kvm_amd) and give yourself read-write access to /dev/kvm (the kvm group)",
};

/** What building for `target` needs besides its steps' programs. */
export function targetToolchainNeeds(target: Target): ToolNeed[] {
  const needs: ToolNeed[] = [];
  if (target.context !== "default") {
    needs.push({
      tool: `ocamlfind:${target.context}`,
      purpose: `cross-compile for ${target.name} (dune's ${target.context} context)`,
      fromSwitch: true,
    });
  }
  if (target.family === "solo5" || target.family === "xen") {
    needs.push({
      tool: "solo5-elftool",
      purpose: "generate the Solo5 manifest of the unikernel",
      fromSwitch: true,
    });
  }
  return needs;
}

/** Whether the device at `path` (`/dev/kvm`) can be opened read-write; why not otherwise. */
export function kvmStatus(path = "/dev/kvm"): { usable: true } | { usable: false; why: string } {
  try {
    const info = Deno.statSync(path);
    if (!info.isCharDevice) return { usable: false, why: `${path} is not a character device` };
    Deno.openSync(path, { read: true, write: true }).close();
    return { usable: true };
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      return { usable: false, why: `${path} does not exist (no KVM on this machine or VM)` };
    }
    if (e instanceof Deno.errors.PermissionDenied) {
      return { usable: false, why: `${path} is not readable and writable by you` };
    }
    return { usable: false, why: `${path}: ${(e as Error).message}` };
  }
}

/** Whether ocamlfind knows the toolchain `name` (it only warns, exit code 0, when it does not). */
async function ocamlfindToolchain(name: string): Promise<boolean> {
  const r = await capture("ocamlfind", ["-toolchain", name, "printconf", "path"]);
  return r.code === 0 && !/Undefined toolchain/i.test(r.stderr);
}

/** Whether a need is met. */
async function present(need: ToolNeed): Promise<boolean> {
  if (need.tool === "/dev/kvm") return kvmStatus().usable;
  if (need.tool.startsWith("ocamlfind:")) {
    return commandExists("ocamlfind") &&
      await ocamlfindToolchain(need.tool.slice("ocamlfind:".length));
  }
  return commandExists(need.tool);
}

function describeMissing(need: ToolNeed): string {
  const hint = INSTALL_HINTS[need.tool] ?? `install ${need.tool}`;
  if (need.tool === "/dev/kvm") {
    const status = kvmStatus();
    const why = status.usable ? "usable" : status.why;
    return `/dev/kvm (needed to ${need.purpose}): ${why}; ${hint}`;
  }
  if (need.tool.startsWith("ocamlfind:")) {
    const name = need.tool.slice("ocamlfind:".length);
    return `the ${name} ocamlfind toolchain (needed to ${need.purpose}): ${hint}`;
  }
  return `${need.tool} (needed to ${need.purpose}): ${hint}`;
}

/**
 * Throws one error listing every unmet need, what needs it and how to get it; `when` says at
 * which point the check ran ("nothing was run", "after installing the switch dependencies").
 */
export async function requireTools(
  needs: readonly ToolNeed[],
  when = "nothing was run",
): Promise<void> {
  const seen = new Set<string>();
  const unique = needs.filter((n) => !seen.has(n.tool) && seen.add(n.tool));
  const met = await Promise.all(unique.map(present));
  const missing = unique.filter((_, i) => !met[i]).map(describeMissing);
  if (missing.length) {
    throw new UnikError(
      "toolchain",
      `missing tool${missing.length > 1 ? "s" : ""}:\n  ${missing.join("\n  ")}`,
      { hint: `${when}; install the tools and try again` },
    );
  }
}
