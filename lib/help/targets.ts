/**
 * `unik help targets`: every target with what configure generates for it and what building and
 * running it need, read from the targets themselves (targets/) and from what `unik build` and
 * `unik run` check (lib/toolchain/needs.ts): nothing here is written per target.
 * @module
 */

import type { Target } from "../target.ts";
import { TARGETS } from "../../targets/mod.ts";
import { targetToolchainNeeds } from "../toolchain/needs.ts";

/** A target as the help shows it. */
interface TargetHelp {
  /** The `-t` value. */
  readonly name: string;
  /** One line. */
  readonly description: string;
  /** What configure and build produce: the artifact, then the target's own files. */
  readonly generates: readonly string[];
  /** What building needs besides opam, dune and OCaml. */
  readonly buildNeeds: readonly string[];
  /** The program `unik run` starts, or why it starts none. */
  readonly runs: string;
  /** The opam packages the target adds (`(switch)` for those installed in the switch). */
  readonly packages: readonly string[];
}

const SAMPLE = {
  name: "NAME",
  publicName: "NAME",
  mainModule: "main",
  libraries: [],
  bridge: "br",
};
const NO_RESOURCES = { networks: [], blocks: [] };

/** What the help says about `target`. */
function targetHelp(target: Target): TargetHelp {
  const install = target.install(SAMPLE);
  const files = [...target.files(SAMPLE, NO_RESOURCES).keys()].map((f) => `mirage/${f}`);
  const generates = [
    ...install.bin.map(([, to]) => `dist/${to}`),
    ...install.etc.map((f) => `dist/${f}`),
    ...files,
  ];
  const switchPackages = target.packages.filter((p) => p.scope === "switch").map((p) => p.name);
  const toolchain = targetToolchainNeeds(target).map((n) =>
    n.tool.startsWith("ocamlfind:") ? `the ${n.tool.slice(10)} ocamlfind toolchain` : n.tool
  );
  return {
    name: target.name,
    description: target.description,
    generates,
    buildNeeds: [
      ...toolchain,
      ...(switchPackages.length ? [`opam packages ${switchPackages.join(", ")}`] : []),
    ],
    runs: runner(target),
    packages: target.packages.map((p) => (p.scope === "switch" ? `${p.name} (switch)` : p.name)),
  };
}

/** The program `unik run` starts for `target`, found by asking its launcher. */
function runner(target: Target): string {
  if (!target.launch) return `not started by unik: ${target.noLaunch ?? "no launcher"}`;
  try {
    const launch = target.launch({
      root: "/PROJECT",
      artifact: `dist/NAME${target.extension}`,
      name: "NAME",
      networks: [],
      blocks: [],
      memory: 512,
      args: [],
      scratch: "/tmp",
      kvm: true,
    });
    const tool = launch.command.tool;
    return tool.startsWith("/PROJECT/") ? "the artifact itself (a host process)" : tool;
  } catch (e) {
    return `(${(e as Error).message})`;
  }
}

/** The text of `unik help targets`. */
export function targetsHelp(): string {
  const blocks = TARGETS.map(targetHelp).map((t) =>
    [
      `${t.name}: ${t.description}`,
      `  generates  ${t.generates.join(", ")}`,
      `  builds     with ${t.buildNeeds.length ? t.buildNeeds.join(", ") : "the host's OCaml"}`,
      `  runs       ${t.runs}`,
      `  packages   ${t.packages.join(", ")}`,
    ].join("\n")
  );
  return [
    "Targets (unik configure -t TARGET). Every build needs opam, dune and OCaml; NAME is the",
    "unikernel's name (register's, or -o).",
    "",
    blocks.join("\n\n"),
    "",
  ].join("\n");
}
