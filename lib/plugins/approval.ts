/**
 * Consent for third-party build contributions, after Deno's `--allow-scripts`: what a plugin
 * loaded by URL adds to the build that runs on the host (a dune stanza with an action, a
 * configure-time file dune would read) is written only once the user has approved
 * that plugin for its exact content (its integrity in `unik.lock`, or `--allow-build` for one
 * run). The standard plugins and config.ts itself need no approval.
 *
 * Who contributed what is the sandbox's claim, and the sandbox runs every loaded plugin: any of
 * them can forge the claim. So once a third-party plugin is loaded, a contribution that is not
 * inert needs the approval of every third-party plugin loaded with it, whoever it is said to
 * come from; the claim only says which device to show. Inert contributions (the exact shapes
 * the standard plugins emit, with arguments that pass their grammar) need none.
 * @module
 */

/** What a device adds to the build, as the sandbox reports it (untrusted). */
export interface BuildContribution {
  /**
   * A dune stanza, a file configure writes into `mirage/`, an opam package requirement, or a
   * file installed with the unikernel.
   */
  readonly kind: "dune" | "file" | "package" | "install";
  /**
   * The stanza's text, the file's name (in `mirage/`), the package as the opam file's
   * `depends` shows it (with its pin), or the installed file (`bin SRC as DST`, `etc NAME`).
   */
  readonly text: string;
  /** The device it is said to come from, as the sandbox describes it. */
  readonly device: string;
  /** The module URL the device is said to be defined in. */
  readonly definedIn?: string;
}

/** What a contribution does when the build runs: nothing on the host, or a host command. */
export type ContributionKind =
  | { readonly kind: "inert" }
  | { readonly kind: "host-command"; readonly reason: string };

/** A plugin loaded by URL, as unik's trusted side resolved it (not as the sandbox reports it). */
export interface ThirdPartyPlugin {
  /** Its entry URL (the key of its `unik.lock` entry). */
  readonly entry: string;
  /** The integrity of its module graph. */
  readonly integrity: string;
  /** The URLs of its modules. */
  readonly modules: readonly string[];
  /** Its registry name, when `unik.lock` records one. */
  readonly name?: string;
}

/** A contribution unik did not write, and whose approval it waits for. */
export interface Withheld {
  /** The contribution. */
  readonly contribution: BuildContribution;
  /** Why it is not inert. */
  readonly reason: string;
  /** The plugin the sandbox says it comes from, or undefined for config.ts or unik's own. */
  readonly claimedBy?: ThirdPartyPlugin;
  /** The loaded third-party plugins not approved yet (all of them must be). */
  readonly needs: readonly ThirdPartyPlugin[];
}

/** What may be written and what is withheld. */
export interface BuildDecision {
  /** Contributions to write, in their order. */
  readonly approved: readonly BuildContribution[];
  /** Contributions withheld, in their order. */
  readonly withheld: readonly Withheld[];
}

/** Whether a plugin is approved: for its current integrity only. */
export function isApproved(
  plugin: ThirdPartyPlugin,
  approvals: ReadonlyMap<string, string>,
): boolean {
  return approvals.get(plugin.entry) === plugin.integrity;
}

/** The loaded plugin whose module the device is said to be defined in. */
function claimant(
  c: BuildContribution,
  plugins: readonly ThirdPartyPlugin[],
): ThirdPartyPlugin | undefined {
  return c.definedIn === undefined
    ? undefined
    : plugins.find((p) => p.modules.includes(c.definedIn!));
}

/**
 * Splits contributions into those that may be written and those withheld. `approvals` maps an
 * entry URL to the integrity it was approved for.
 */
export function decideBuild(
  contributions: readonly BuildContribution[],
  plugins: readonly ThirdPartyPlugin[],
  approvals: ReadonlyMap<string, string>,
  classify: (c: BuildContribution) => ContributionKind,
): BuildDecision {
  if (plugins.length === 0) return { approved: [...contributions], withheld: [] };
  const needs = plugins.filter((p) => !isApproved(p, approvals));
  const approved: BuildContribution[] = [];
  const withheld: Withheld[] = [];
  for (const c of contributions) {
    const kind = classify(c);
    if (kind.kind === "inert" || needs.length === 0) approved.push(c);
    else {
      withheld.push({
        contribution: c,
        reason: kind.reason,
        claimedBy: claimant(c, plugins),
        needs,
      });
    }
  }
  return { approved, withheld };
}

/** How a plugin is named in approval messages and commands: its registry name, else its URL. */
export function approvalName(p: ThirdPartyPlugin): string {
  return p.name ?? p.entry;
}

/**
 * Plugin-supplied text made safe for a terminal: control characters (escape sequences, carriage
 * returns) other than newlines and tabs shown as `\u{..}`, so a stanza cannot repaint the screen
 * to hide what it does.
 */
export function printable(text: string): string {
  return text.replace(
    // deno-lint-ignore no-control-regex
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g,
    (c) => `\\u{${c.charCodeAt(0).toString(16)}}`,
  );
}

/** What a contribution is, for the terminal (not yet made printable). */
export function showContribution(c: { readonly kind: string; readonly text: string }): string {
  return c.kind === "dune"
    ? `dune stanza:\n${c.text.replace(/^/gm, "      ")}`
    : c.kind === "file"
    ? `file mirage/${c.text}`
    : c.kind === "package"
    ? `opam package ${c.text}`
    : `installed file ${c.text}`;
}

/** The withheld contributions as lines for the terminal, with how to approve them. */
export function showWithheld(withheld: readonly Withheld[]): string {
  const lines = withheld.map((w) => {
    const from = w.claimedBy ? `plugin ${approvalName(w.claimedBy)}` : "config.ts or unik";
    const c = w.contribution;
    // A package records only the device that asked for it, which the line shows.
    const claim = c.kind === "package" ? "" : `, said to come from ${from}`;
    return printable(`  - ${c.device}${claim} (${w.reason}): ${showContribution(c)}`);
  });
  const needs = new Map<string, ThirdPartyPlugin>();
  for (const w of withheld) for (const p of w.needs) needs.set(p.entry, p);
  const approve = [...needs.values()].map((p) =>
    `    unik plugin allow ${approvalName(p)}    # ${p.integrity}`
  );
  return [
    ...lines,
    "  Approve every third-party plugin loaded with it (any of them could have claimed it) with:",
    ...approve,
    `  or for one run: --allow-build=${[...needs.values()].map(approvalName).join(",")}`,
  ].join("\n") + "\n";
}

/** Where configure records what it withheld, relative to the build directory. */
export const WITHHELD_FILE = "mirage/withheld.json";

/** One withheld contribution as recorded: for `unik plugin allow` to show. */
export interface WithheldRecord {
  /** `dune`, `file`, `package` or `install`. */
  readonly kind: string;
  /** The stanza, file name, package or installed file. */
  readonly text: string;
  /** The device it is said to come from. */
  readonly device: string;
  /** Why it needs approval. */
  readonly reason: string;
  /** The entry URLs and integrities of the plugins whose approval it waits for. */
  readonly needs: readonly { readonly entry: string; readonly integrity: string }[];
}

/** The text of the record of withheld contributions. */
export function showWithheldRecord(withheld: readonly Withheld[]): string {
  const records: WithheldRecord[] = withheld.map((w) => ({
    kind: w.contribution.kind,
    text: w.contribution.text,
    device: w.contribution.device,
    reason: w.reason,
    needs: w.needs.map((p) => ({ entry: p.entry, integrity: p.integrity })),
  }));
  return JSON.stringify({ withheld: records }, null, 2) + "\n";
}

/** The records of a withheld file's text; anything malformed reads as none (it only informs). */
export function parseWithheldRecord(text: string): WithheldRecord[] {
  try {
    const data = JSON.parse(text) as { withheld?: unknown };
    if (!Array.isArray(data.withheld)) return [];
    return data.withheld.filter((r): r is WithheldRecord =>
      typeof r === "object" && r !== null && typeof r.kind === "string" &&
      typeof r.text === "string" && typeof r.device === "string" &&
      typeof r.reason === "string" && Array.isArray(r.needs) &&
      r.needs.every((n: unknown) =>
        typeof n === "object" && n !== null &&
        typeof (n as { entry?: unknown }).entry === "string" &&
        typeof (n as { integrity?: unknown }).integrity === "string"
      )
    );
  } catch {
    return [];
  }
}
