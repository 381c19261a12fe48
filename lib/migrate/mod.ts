/**
 * config.ml to config.ts, as a pure function: parse the OCaml, translate it, print it.
 * @module
 */

import { printModule } from "./emit.ts";
import { parse, ParseError } from "./parser.ts";
import { type Diagnostic, translate } from "./translate.ts";

export type { Diagnostic } from "./translate.ts";

/** Options of {@link migrateSource}. */
export interface MigrateSourceOptions {
  /** The name of the config.ml file in messages. */
  readonly file?: string;
  /** The line width of the output (deno fmt's, 80 unless the project says otherwise). */
  readonly lineWidth?: number;
}

/** What {@link migrateSource} produced. */
export interface Migrated {
  /** The config.ts text; with errors, the untranslated parts call `untranslated(...)`. */
  readonly text: string;
  /** What could not be translated, in source order. */
  readonly errors: readonly Diagnostic[];
}

/** Translates the text of a config.ml into the text of a config.ts. */
export function migrateSource(source: string, options: MigrateSourceOptions = {}): Migrated {
  const file = options.file ?? "config.ml";
  let program;
  try {
    program = parse(source);
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    return {
      text: "",
      errors: [{
        line: e.pos.line,
        col: e.pos.col,
        message: `syntax error: ${e.message}`,
        hint: "unik migrate reads the OCaml that config.ml files are written in; check this line",
      }],
    };
  }
  const { module, errors } = translate(program, { file });
  const sorted = [...errors].sort((a, b) => a.line - b.line || a.col - b.col);
  return { text: printModule(module, options.lineWidth ?? 80), errors: sorted };
}
