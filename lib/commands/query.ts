/**
 * `unik query [INFO]`: prints one generated file (without its header) or fact, writing
 * nothing.
 * @module
 */

import { didYouMean } from "../cli/suggest.ts";
import { notice } from "../cli/output.ts";
import { showPackage } from "../dsl/package.ts";
import { usageError } from "../errors.ts";
import type { CliIO } from "../cli/io.ts";
import type { ProjectPaths } from "../cli/project.ts";
import type { ConfigSession } from "../sandbox/mod.ts";
import { type CommonOptions, prepare, readSavedContext, savedValuesNoted } from "./common.ts";
import { applyBuildGate } from "../plugins/gate.ts";
import type { Withheld } from "../plugins/approval.ts";

/** What `query` can print. */
export const QUERY_INFOS = [
  "name",
  "packages",
  "opam",
  "files",
  "Makefile",
  "dune.config",
  "dune.build",
  "dune-project",
  "dune-workspace",
  "dune.dist",
  "main.ml",
] as const;

/** One of {@link QUERY_INFOS}. */
export type QueryInfo = typeof QUERY_INFOS[number];

/** The info named by `word` or an unambiguous prefix of it. */
export function resolveInfo(word: string): QueryInfo {
  const exact = QUERY_INFOS.find((i) => i === word);
  if (exact) return exact;
  const matches = QUERY_INFOS.filter((i) => i.startsWith(word));
  if (matches.length === 1) return matches[0];
  const expected = `one of ${QUERY_INFOS.join(", ")}`;
  throw usageError(
    matches.length === 0
      ? `invalid value '${word}' for INFO${
        didYouMean(word, QUERY_INFOS) || ","
      } expected ${expected}`
      : `ambiguous value '${word}' for INFO: ${matches.join(", ")}`,
  );
}

/** Runs query. */
export async function runQuery(
  paths: ProjectPaths,
  session: ConfigSession,
  info: QueryInfo,
  options: CommonOptions,
  io: CliIO,
): Promise<void> {
  const saved = await readSavedContext(paths, session);
  const prepared = await prepare(paths, options, saved);
  const evaluated = await session.configure(prepared.request).catch((e) => {
    throw savedValuesNoted(e, saved, options.keys, paths);
  });
  // What configure writes and the build uses: without what waits for a plugin's approval.
  const { configured, withheld } = await applyBuildGate(evaluated, prepared.request, options);
  if (withheld.length > 0) await noteWithheld(withheld, io);
  switch (info) {
    case "name":
      return io.out(`${configured.name}\n`);
    case "packages":
      return io.out(configured.packages.map((p) => `${showPackage(p)}\n`).join(""));
    case "files":
      return io.out(`${configured.mirageFiles.join(" ")}\n`);
    default:
      return io.out(configured.queries[info]);
  }
}

/**
 * Says on stderr that what is shown leaves out the contributions waiting for approval, and
 * which (the shown text stays exactly what configure writes).
 */
export async function noteWithheld(withheld: readonly Withheld[], io: CliIO): Promise<void> {
  const { showWithheld } = await import("../plugins/approval.ts");
  notice(
    io,
    "note: as configure writes it: not included, waiting for approval (third-party build " +
      `contributions run on this machine at build time):\n${showWithheld(withheld)}`,
  );
}
