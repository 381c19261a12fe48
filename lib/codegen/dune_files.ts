/**
 * The dune files: `dune` (includes dune.build), `dune.build` (copy rules, device stanzas and
 * the target's executable), `dune.config`, `dune-project`, `dune-workspace` and `dist/dune`.
 * @module
 */

import { joinStanzas } from "./dune_layout.ts";
import { configError } from "../errors.ts";
import {
  checkFileName,
  checkUnikernelName,
  DuneSyntaxError,
  parseStanzas,
  requireField,
} from "../validate/mod.ts";

/**
 * Checks that `stanza` is dune stanzas and nothing else (balanced, readable, each a list), so
 * that it cannot unbalance the file it is written into. `from` names who contributed it.
 */
export function checkStanzaText(stanza: string, from = "a device"): void {
  if (typeof stanza !== "string") throw configError(`${from} gave a dune stanza that is not text`);
  try {
    parseStanzas(stanza);
  } catch (e) {
    if (!(e instanceof DuneSyntaxError)) throw e;
    throw configError(`${from} gave a dune stanza that is not valid dune: ${e.message}`, {
      hint: "a dune hook must return whole stanzas such as (rule ...)",
    });
  }
}

/** Checks a dune context name (it is written inside a dune string). */
function checkContext(context: string): void {
  requireField(
    "dune context",
    context,
    (c) => /^[A-Za-z0-9_-]+$/.test(c) ? undefined : "is not a dune context name",
  );
}

/** `dune`: the build directory's entry point. */
export function generateDune(): string {
  return "(include dune.build)\n";
}

/**
 * `dune.config`: what dune sees of the build directory before configure; unik evaluates
 * config.ts itself, so only the directories dune must not scan as sources remain.
 */
export function generateDuneConfig(): string {
  return "(data_only_dirs duniverse dist)\n";
}

/** `dune.build`: one copy rule per generated file, then the devices' and target's stanzas. */
export function generateDuneBuild(
  generated: readonly string[],
  stanzas: readonly string[],
): string {
  for (const f of generated) requireField("generated file name", f, checkFileName);
  for (const s of stanzas) checkStanzaText(s);
  const copies = [...generated].sort().map((f) =>
    /\.mli?$/.test(f) ? `(copy_files# ./mirage/${f})` : `(copy_files ./mirage/${f})`
  );
  return joinStanzas([...copies, ...stanzas]);
}

/** `dune-project`. */
export function generateDuneProject(projectName: string): string {
  requireField("dune project name", projectName, checkUnikernelName);
  return `(lang dune 2.9)\n\n(name ${projectName})\n\n(implicit_transitive_deps true)\n`;
}

/** `dune-workspace`: the default context plus the target's cross-compilation contexts. */
export function generateDuneWorkspace(contexts: readonly string[]): string {
  return joinStanzas(["(lang dune 2.9)", "(context (default))", ...contexts]);
}

/** `dist/dune`: promotes the artifacts into dist/. */
export function generateDistDune(
  bins: readonly string[],
  etcs: readonly string[],
  context: string,
): string {
  for (const f of [...bins, ...etcs]) requireField("installed file", f, checkFileName);
  checkContext(context);
  const rule = (file: string, ctx: string) =>
    `(rule
 (mode (promote (until-clean)))
 (target ${file})
 (enabled_if (= %{context_name} "${ctx}"))
 (action
  (copy ../${file} %{target}))
)`;
  return joinStanzas([
    ...bins.map((b) => rule(b, context)),
    ...etcs.map((e) => rule(e, "default")),
  ]);
}
