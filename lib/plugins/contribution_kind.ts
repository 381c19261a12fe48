/**
 * Which build contributions are inert (they run nothing on the host beyond what unik's own
 * rules run) and which are host commands needing approval (see approval.ts). Conservative: a
 * dune stanza is inert only in the exact shape a standard plugin emits with arguments of a
 * strict grammar (lib/validate/dune.ts); anything else, however harmless it looks, needs
 * approval.
 * @module
 */

import type { BuildContribution, ContributionKind } from "./approval.ts";
import type { Package } from "../dsl/package.ts";
import { classifyStanza, parseStanzas, type Sexp } from "../validate/dune.ts";

const INERT: ContributionKind = { kind: "inert" };

/** A file name with no path, quoting or leading dot. */
const PLAIN_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/;

/**
 * Whether a configure-time file in `mirage/` is inert: any plain name dune does not read as
 * build rules (`dune`, `dune-file`, `dune-project`, `dune-workspace`, ...).
 */
function classifyMirageFile(name: string): ContributionKind {
  if (!PLAIN_NAME.test(name)) return { kind: "host-command", reason: "not a plain file name" };
  if (/^dune/.test(name)) return { kind: "host-command", reason: "dune reads it as build rules" };
  return INERT;
}

/** The kind of a dune stanza or a `mirage/` file. */
export function classifyContribution(c: BuildContribution): ContributionKind {
  return c.kind === "dune" ? classifyStanza(c.text) : classifyMirageFile(c.text);
}

/**
 * Whether an opam package requirement is inert. A package from the opam repositories the user
 * builds with, vendored by opam-monorepo, is: those repositories vouch for its sources (as
 * they do for the standard plugins' packages), and dune builds it in the project. Not inert:
 * a pin (`pin-depends`: the build fetches the sources from a URL the plugin chose and builds
 * them), and a package opam installs in the switch (`x-opam-monorepo-opam-provided`: opam runs
 * its build and install commands in the user's switch, beyond the project), unless it is one
 * of unik's own switch packages (`ownSwitch`: the target's and every unikernel's).
 */
export function classifyPackage(p: Package, ownSwitch: ReadonlySet<string>): ContributionKind {
  if (p.pin) {
    return {
      kind: "host-command",
      reason: `the build fetches it from ${p.pin.url}, which the plugin chose, and builds it`,
    };
  }
  if (p.scope === "switch" && !ownSwitch.has(p.name)) {
    return {
      kind: "host-command",
      reason: "opam installs it in your switch, running its build and install commands",
    };
  }
  return INERT;
}

/** One file a device installs with the unikernel. */
export interface InstallEntry {
  /** A program (`bin`, as `dst` in the switch's bin/) or a data file (`etc`). */
  readonly kind: "bin" | "etc";
  /** The file in dist/. */
  readonly src: string;
  /** The installed name. */
  readonly dst: string;
}

/**
 * Whether an installed file is inert. A program is not: opam installs it in the switch's
 * `bin/`, where it can take the place of a command. A data file is inert only when an inert
 * rule of the configuration makes it (`madeByInertRules`, as docteur's image is made);
 * otherwise dune copies whatever file of the build directory has that name into `dist/`.
 */
export function classifyInstall(
  entry: InstallEntry,
  madeByInertRules: ReadonlySet<string>,
): ContributionKind {
  if (entry.kind === "bin") {
    return {
      kind: "host-command",
      reason: `opam installs it as the command ${entry.dst} in your switch's bin/`,
    };
  }
  if (madeByInertRules.has(entry.src)) return INERT;
  return {
    kind: "host-command",
    reason: "dune copies that file of the build directory into dist/, and no inert rule makes it",
  };
}

/** The `(targets ...)` atoms of the `rule` stanzas of a stanza text (none if it is not dune). */
export function ruleTargets(text: string): string[] {
  let stanzas: Sexp[];
  try {
    stanzas = parseStanzas(text);
  } catch {
    return [];
  }
  const targets: string[] = [];
  for (const s of stanzas) {
    if (s.kind !== "list" || s.items[0]?.kind !== "atom" || s.items[0].text !== "rule") continue;
    for (const field of s.items.slice(1)) {
      if (field.kind !== "list") continue;
      const [head, ...rest] = field.items;
      if (head?.kind !== "atom" || head.text !== "targets") continue;
      for (const t of rest) if (t.kind === "atom") targets.push(t.text);
    }
  }
  return targets;
}
