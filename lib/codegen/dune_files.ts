/**
 * The dune files: `dune` (includes dune.build), `dune.build` (copy rules, device stanzas and
 * the target's executable), `dune.config`, `dune-project`, `dune-workspace` and `dist/dune`.
 * @module
 */

import { joinStanzas } from "./dune_layout.ts";

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
  const copies = [...generated].sort().map((f) =>
    /\.mli?$/.test(f) ? `(copy_files# ./mirage/${f})` : `(copy_files ./mirage/${f})`
  );
  return joinStanzas([...copies, ...stanzas]);
}

/** `dune-project`. */
export function generateDuneProject(projectName: string): string {
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
