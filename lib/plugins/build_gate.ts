/**
 * Applying build approvals to a configuration, on unik's trusted side. When a third-party
 * plugin is loaded, the files are not written as generated from the sandbox's evaluation: unik
 * takes out of the evaluation what is neither inert nor approved (dune stanzas, `mirage/`
 * files, opam packages, installed files) and generates every file again from what is left,
 * with its own generators, so that `dune.build`, the opam file and `dist/dune` agree. What is
 * withheld is returned so that configure can warn, query and describe can say so, and build
 * refuse.
 * @module
 */

import {
  type Configured,
  type ConfigureRequest,
  type Evaluation,
  generateConfiguration,
} from "../configure.ts";
import { showPackage } from "../dsl/package.ts";
import { usageError } from "../errors.ts";
import { COMMON_PACKAGES } from "../project.ts";
import { checkGeneratedSet } from "../sandbox/generated_set.ts";
import { findTarget } from "../../targets/mod.ts";
import {
  approvalName,
  type BuildContribution,
  type ContributionKind,
  decideBuild,
  type ThirdPartyPlugin,
  type Withheld,
} from "./approval.ts";
import {
  classifyContribution,
  classifyInstall,
  classifyPackage,
  type InstallEntry,
  ruleTargets,
} from "./contribution_kind.ts";
import type { Lock } from "./lock.ts";

/** The plugins loaded by URL and what the user approved. */
export interface BuildGate {
  /** The third-party plugins loaded, as unik resolved them. */
  readonly plugins: readonly ThirdPartyPlugin[];
  /** Approved integrity by entry URL (`unik.lock`'s `allowBuild`, and `--allow-build`). */
  readonly approvals: ReadonlyMap<string, string>;
}

/**
 * The gate of a configure: the resolved plugins with their `unik.lock` names, approved by the
 * lock or, for this run, by `--allow-build` (a NAME or URL each; one naming no loaded plugin
 * is a usage error).
 */
export function buildGate(
  resolved: readonly {
    entry: string;
    integrity: string;
    modules: Readonly<Record<string, string>>;
  }[],
  lock: Lock,
  allowBuild: readonly string[] = [],
): BuildGate {
  const plugins: ThirdPartyPlugin[] = resolved.map((p) => ({
    entry: p.entry,
    integrity: p.integrity,
    modules: Object.keys(p.modules),
    name: lock.plugins[p.entry]?.name,
  }));
  const approvals = new Map<string, string>();
  for (const p of plugins) {
    const recorded = lock.plugins[p.entry]?.allowBuild;
    if (recorded) approvals.set(p.entry, recorded);
  }
  for (const name of allowBuild.flatMap((a) => a.split(",")).filter((n) => n !== "")) {
    const found = plugins.filter((p) => p.entry === name || p.name === name);
    if (found.length !== 1) {
      throw usageError(`--allow-build=${name}: no plugin of this configuration is named so`, {
        hint: `loaded plugins: ${plugins.map(approvalName).join(", ") || "none"}`,
      });
    }
    approvals.set(found[0].entry, found[0].integrity);
  }
  return { plugins, approvals };
}

/** A configuration with what is withheld taken out, and what was. */
export interface Gated {
  /** The configuration as it may be written. */
  readonly configured: Configured;
  /** The contributions not written, waiting for approval. */
  readonly withheld: readonly Withheld[];
}

type Stanza = Evaluation["stanzas"][number];
type HookFile = Evaluation["hookFiles"][number];
type Install = Evaluation["installs"][number];
type Package = Evaluation["packages"][number];

/** Each part of an evaluation a device adds to the build, as a contribution to decide on. */
interface Parts {
  readonly contributions: BuildContribution[];
  readonly kinds: Map<BuildContribution, ContributionKind>;
  readonly stanzas: Map<BuildContribution, Stanza>;
  readonly files: Map<BuildContribution, HookFile>;
  readonly packages: Map<BuildContribution, Package>;
  readonly installs: Map<BuildContribution, { install: Install; entry: InstallEntry }>;
}

/** The switch packages unik itself adds for `target`: no plugin's doing. */
function ownSwitchPackages(target: string): Set<string> {
  return new Set(
    [...(findTarget(target)?.packages ?? []), ...COMMON_PACKAGES]
      .filter((p) => p.scope === "switch")
      .map((p) => p.name),
  );
}

function partsOf(evaluation: Evaluation): Parts {
  const parts: Parts = {
    contributions: [],
    kinds: new Map(),
    stanzas: new Map(),
    files: new Map(),
    packages: new Map(),
    installs: new Map(),
  };
  const add = <T>(
    c: BuildContribution,
    kind: ContributionKind,
    to: Map<BuildContribution, T>,
    v: T,
  ) => {
    parts.contributions.push(c);
    parts.kinds.set(c, kind);
    to.set(c, v);
  };
  const made = new Set<string>();
  for (const s of evaluation.stanzas) {
    if (s.kind !== "device") continue;
    const c: BuildContribution = {
      kind: "dune",
      text: s.text,
      device: s.from,
      definedIn: s.definedIn,
    };
    const kind = classifyContribution(c);
    if (kind.kind === "inert") { for (const t of ruleTargets(s.text)) made.add(t); }
    add(c, kind, parts.stanzas, s);
  }
  for (const f of evaluation.hookFiles) {
    const c: BuildContribution = {
      kind: "file",
      text: f.name,
      device: f.from,
      definedIn: f.definedIn,
    };
    add(c, classifyContribution(c), parts.files, f);
  }
  const own = ownSwitchPackages(evaluation.target);
  for (const p of evaluation.packages) {
    const c: BuildContribution = {
      kind: "package",
      text: `${showPackage(p)}${p.pin ? ` pinned to ${p.pin.url}` : ""}`,
      device: p.from || "a device",
    };
    add(c, classifyPackage(p, own), parts.packages, p);
  }
  for (const install of evaluation.installs) {
    const entries: InstallEntry[] = [
      ...install.bin.map(([src, dst]) => ({ kind: "bin" as const, src, dst })),
      ...install.etc.map((f) => ({ kind: "etc" as const, src: f, dst: f })),
    ];
    for (const entry of entries) {
      const c: BuildContribution = {
        kind: "install",
        text: entry.kind === "bin" ? `bin ${entry.src} as ${entry.dst}` : `etc ${entry.src}`,
        device: install.from,
        definedIn: install.definedIn,
      };
      add(c, classifyInstall(entry, made), parts.installs, { install, entry });
    }
  }
  return parts;
}

/** The evaluation without the contributions of `withheld`. */
function without(evaluation: Evaluation, parts: Parts, withheld: readonly Withheld[]): Evaluation {
  const out = new Set(withheld.map((w) => w.contribution));
  const kept = <T>(m: Map<BuildContribution, T>) =>
    new Set([...m].filter(([c]) => !out.has(c)).map(([, v]) => v));
  const stanzas = kept(parts.stanzas);
  const files = kept(parts.files);
  const packages = kept(parts.packages);
  const entries = new Set([...kept(parts.installs)].map((i) => i.entry));
  const entriesOf = new Map<Install, InstallEntry[]>();
  for (const { install, entry } of parts.installs.values()) {
    entriesOf.set(install, [...(entriesOf.get(install) ?? []), entry]);
  }
  return {
    ...evaluation,
    stanzas: evaluation.stanzas.filter((s) => s.kind === "target" || stanzas.has(s)),
    hookFiles: evaluation.hookFiles.filter((f) => files.has(f)),
    packages: evaluation.packages.filter((p) => packages.has(p)),
    installs: evaluation.installs.map((i) => {
      const mine = (entriesOf.get(i) ?? []).filter((e) => entries.has(e));
      return {
        ...i,
        bin: mine.filter((e) => e.kind === "bin").map((e) => [e.src, e.dst] as const),
        etc: mine.filter((e) => e.kind === "etc").map((e) => e.src),
      };
    }),
  };
}

/**
 * Applies the gate to a configuration for `request`. With no third-party plugin loaded, the
 * configuration is the project's own and is returned as it is; otherwise its files are
 * generated again from its evaluation without what is withheld.
 */
export function gateConfigured(
  configured: Configured,
  request: ConfigureRequest,
  gate: BuildGate,
): Gated {
  if (gate.plugins.length === 0) return { configured, withheld: [] };
  const evaluation = configured.evaluation;
  const parts = partsOf(evaluation);
  const decision = decideBuild(
    parts.contributions,
    gate.plugins,
    gate.approvals,
    (c) => parts.kinds.get(c)!,
  );
  if (decision.withheld.length === 0) return { configured, withheld: [] };
  const regenerated = generateConfiguration(
    without(evaluation, parts, decision.withheld),
    request,
    { plugins: gate.plugins },
  );
  checkGeneratedSet(regenerated, request.configFile);
  return { configured: regenerated, withheld: decision.withheld };
}
