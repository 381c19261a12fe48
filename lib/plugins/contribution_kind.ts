/**
 * Which build contributions are inert (they run nothing on the host beyond what unik's own
 * rules run) and which are host commands needing approval (see approval.ts). Conservative: a
 * dune stanza is inert only in the exact shape a standard plugin emits with arguments of a
 * strict grammar (lib/validate/dune.ts); anything else, however harmless it looks, needs
 * approval.
 * @module
 */

import type { BuildContribution, ContributionKind } from "./approval.ts";
import { classifyStanza } from "../validate/dune.ts";

const INERT: ContributionKind = { kind: "inert" };

/** A file name with no path, quoting or leading dot. */
const PLAIN_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/;

/**
 * Whether a configure-time file in `mirage/` is inert: any plain name dune does not read as
 * build rules (`dune`, `dune-file`, `dune-project`, `dune-workspace`, ...).
 */
export function classifyMirageFile(name: string): ContributionKind {
  if (!PLAIN_NAME.test(name)) return { kind: "host-command", reason: "not a plain file name" };
  if (/^dune/.test(name)) return { kind: "host-command", reason: "dune reads it as build rules" };
  return INERT;
}

/** The kind of any contribution. */
export function classifyContribution(c: BuildContribution): ContributionKind {
  return c.kind === "dune" ? classifyStanza(c.text) : classifyMirageFile(c.text);
}
