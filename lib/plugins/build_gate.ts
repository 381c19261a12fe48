/**
 * Applying build approvals to a configuration, on unik's trusted side. When a third-party
 * plugin is loaded, the sandbox's `dune.build` is not written as the sandbox sent it: unik
 * generates it again from the target's own rules (from validated names) and the contributions
 * that are inert or approved, and drops the `mirage/` files that are withheld. What is withheld
 * is returned so that configure can warn and build refuse.
 * @module
 */

import type { Configured, ConfigureRequest, GeneratedFile } from "../configure.ts";
import { generateDuneBuild } from "../codegen/dune_files.ts";
import { withHeader } from "../codegen/header.ts";
import { pluginError, usageError } from "../errors.ts";
import { UNIK_VERSION } from "../version.ts";
import { findTarget } from "../../targets/mod.ts";
import type { TargetInfo } from "../target.ts";
import {
  approvalName,
  type BuildContribution,
  decideBuild,
  type ThirdPartyPlugin,
  type Withheld,
} from "./approval.ts";
import { classifyContribution, classifyMirageFile } from "./contribution_kind.ts";
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

const LIBRARY = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/;
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** The target's own dune stanzas, made here from the reply's names once they are checked. */
function targetStanzas(configured: Configured, request: ConfigureRequest): string[] {
  const target = findTarget(configured.target);
  if (!target) throw pluginError(`the sandbox replied with an unknown target ${configured.target}`);
  const bad = [configured.name, request.output ?? "main"].find((n) => !NAME.test(n)) ??
    configured.libraries.find((l) => !LIBRARY.test(l));
  if (bad !== undefined) {
    throw pluginError(`the sandbox replied with an invalid name ${JSON.stringify(bad)}`, {
      hint: "a plugin tampered with the configuration's reply: do not use this plugin",
    });
  }
  const info: TargetInfo = {
    name: configured.name,
    publicName: request.output ?? configured.name,
    mainModule: request.output ?? "main",
    libraries: configured.libraries,
    bridge: request.bridge ?? "br",
  };
  return target.dune(info);
}

/** A configuration with what is withheld taken out, and what was. */
export interface Gated {
  /** The configuration as it may be written. */
  readonly configured: Configured;
  /** The contributions not written, waiting for approval. */
  readonly withheld: readonly Withheld[];
}

/**
 * Applies the gate to a configuration for `request` in `buildDir` (`""` or `app/`). With no
 * third-party plugin loaded, the configuration is the project's own and is returned as it is.
 */
export function gateConfigured(
  configured: Configured,
  request: ConfigureRequest,
  buildDir: string,
  gate: BuildGate,
): Gated {
  if (gate.plugins.length === 0) return { configured, withheld: [] };
  const mirageDir = `${buildDir}mirage/`;
  const claimedFiles = new Set(
    configured.contributions.filter((c) => c.kind === "file").map((c) => c.text),
  );
  // A file dune would read that no device claims is still a contribution: the reply is untrusted.
  const unclaimed: BuildContribution[] = configured.files
    .filter((f) => f.path.startsWith(mirageDir) && f.path !== configured.opamFile)
    .map((f) => f.path.slice(mirageDir.length))
    .filter((name) => !claimedFiles.has(name) && classifyMirageFile(name).kind !== "inert")
    .map((name) => ({ kind: "file", text: name, device: "a file no device claims" }));
  const decision = decideBuild(
    [...configured.contributions, ...unclaimed],
    gate.plugins,
    gate.approvals,
    classifyContribution,
  );
  const dropped = new Set(
    decision.withheld.filter((w) => w.contribution.kind === "file").map((w) =>
      `${mirageDir}${w.contribution.text}`
    ),
  );
  const approvedFiles = new Set(
    decision.approved.filter((c) => c.kind === "file").map((c) => c.text),
  );
  const mirageFiles = configured.mirageFiles.filter((n) =>
    !dropped.has(`${mirageDir}${n}`) &&
    (classifyMirageFile(n).kind === "inert" || approvedFiles.has(n))
  );
  const duneBuild = generateDuneBuild(mirageFiles, [
    ...targetStanzas(configured, request),
    ...decision.approved.filter((c) => c.kind === "dune").map((c) => c.text),
  ]);
  const duneBuildPath = `${buildDir}dune.build`;
  const files: GeneratedFile[] = configured.files
    .filter((f) => !dropped.has(f.path))
    .map((f) =>
      f.path === duneBuildPath
        ? { path: f.path, contents: withHeader(f.path, duneBuild, UNIK_VERSION) }
        : f
    );
  return {
    configured: {
      ...configured,
      files,
      mirageFiles,
      queries: { ...configured.queries, "dune.build": duneBuild },
    },
    withheld: decision.withheld,
  };
}
