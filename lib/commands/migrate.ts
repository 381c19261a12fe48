/**
 * `unik migrate [config.ml]`: writes the config.ts equivalent to a mirage config.ml next to it
 * (never over an existing one), then configures it with the target of the project's
 * `mirage/context`, to show that it works. Nothing is written when a part of config.ml has no
 * translation, unless `--force-partial` asks for the rest (the untranslated parts then make
 * configure fail until they are rewritten).
 * @module
 */

import { notice } from "../cli/output.ts";
import { basename, dirname, join, relative, resolve } from "node:path";
import type { CliIO } from "../cli/io.ts";
import { EXIT_CODES, UnikError } from "../errors.ts";
import { type Diagnostic, migrateSource } from "../migrate/mod.ts";

/** Options of {@link runMigrate}. */
export interface MigrateOptions {
  /** The config.ml to read (default `config.ml`), relative to the working directory. */
  readonly source?: string;
  /** Print config.ts instead of writing it. */
  readonly stdout?: boolean;
  /** Write what could be translated, the rest as failing `untranslated(...)` calls. */
  readonly forcePartial?: boolean;
  /** Configure the new config.ts after writing it (default true). */
  readonly configure?: boolean;
}

/** Runs `unik configure ARGS` in a directory; returns its exit code. */
export type ConfigureRunner = (cwd: string, args: readonly string[]) => Promise<number>;

/** Runs migrate; returns the exit code. */
export async function runMigrate(
  options: MigrateOptions,
  io: CliIO,
  configure: ConfigureRunner,
): Promise<number> {
  const sourcePath = resolve(io.cwd, options.source ?? "config.ml");
  const shown = relative(io.cwd, sourcePath) || basename(sourcePath);
  let source: string;
  try {
    source = await Deno.readTextFile(sourcePath);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new UnikError("config", `configuration file ${shown} missing`, {
        hint:
          "run unik migrate in the directory of config.ml, or name it: unik migrate app/config.ml",
      });
    }
    throw new UnikError("io", `cannot read ${shown}: ${(e as Error).message}`);
  }
  const dir = dirname(sourcePath);
  const target = join(dir, "config.ts");
  const targetShown = relative(io.cwd, target) || "config.ts";
  const lineWidth = await projectLineWidth(dir);
  const { text, errors } = migrateSource(source, { file: basename(sourcePath), lineWidth });
  if (errors.length > 0 && (!options.forcePartial || text === "")) {
    throw new UnikError("config", describeErrors(shown, errors), {
      hint: errors.length === 1 && errors[0].hint
        ? `${errors[0].hint}; nothing was written (--force-partial writes the rest)`
        : "nothing was written; --force-partial writes what could be translated",
    });
  }
  if (errors.length > 0) notice(io, `${describeErrors(shown, errors, "warning")}\n`);
  if (options.stdout) {
    io.out(text);
    return errors.length > 0 ? EXIT_CODES.config : 0;
  }
  try {
    await Deno.writeTextFile(target, text, { createNew: true });
  } catch (e) {
    if (e instanceof Deno.errors.AlreadyExists) {
      throw new UnikError(
        "io",
        `${targetShown} already exists: unik migrate does not overwrite it`,
        {
          hint: "remove or rename it first, or print the translation with --stdout",
        },
      );
    }
    throw new UnikError("io", `cannot write ${targetShown}: ${(e as Error).message}`);
  }
  notice(io, `Wrote ${targetShown} from ${shown}.\n`, "out");
  if (errors.length > 0) {
    notice(
      io,
      `${errors.length} part(s) were not translated: rewrite the untranslated(...) calls.\n`,
      "out",
    );
  }
  if (options.configure === false) return errors.length > 0 ? EXIT_CODES.config : 0;
  const contextText = await Deno.readTextFile(join(dir, "mirage", "context")).catch(() =>
    undefined
  );
  const mirageContext = contextText !== undefined && !contextText.trimStart().startsWith("{");
  const mirageTarget = contextText === undefined ? undefined : targetOfContext(contextText);
  // Configured from the working directory when config.ts is inside it (as mirage -f does),
  // else from config.ts's own directory.
  const fromCwd = !relative(io.cwd, target).startsWith("..");
  const cwd = fromCwd ? io.cwd : dir;
  const args = [
    ...(fromCwd && target !== join(io.cwd, "config.ts") ? ["-f", relative(io.cwd, target)] : []),
    ...(mirageTarget ? ["-t", mirageTarget] : []),
  ];
  const from = mirageTarget ? " (the target of mirage/context)" : "";
  notice(io, `Configuring it: unik configure${args.map((a) => ` ${a}`).join("")}${from}\n`, "out");
  const code = await configure(cwd, args);
  if (code !== 0) {
    io.err(`${targetShown} was written, but configuring it failed (exit ${code}).\n`);
    if (code === EXIT_CODES.io && mirageContext) {
      // mirage writes mirage/main.ml without a header, so unik cannot tell it is generated.
      io.err(
        "  hint: mirage configured this project before: 'mirage clean' removes its generated " +
          "files, then run unik configure\n",
      );
    }
  }
  return code;
}

/** `config.ml:3:5: message` lines, one per error. */
function describeErrors(file: string, errors: readonly Diagnostic[], prefix?: string): string {
  const lines = errors.map((e) =>
    `${prefix ? `${prefix}: ` : ""}${file}:${e.line}:${e.col}: ${e.message}` +
    (errors.length > 1 && e.hint ? ` (${e.hint})` : "")
  );
  if (prefix) return lines.join("\n");
  if (lines.length === 1) return `cannot translate ${lines[0]}`;
  return `cannot translate ${file}:\n${lines.map((l) => `  ${l}`).join("\n")}`;
}

/** The target recorded in a mirage 4.9 context file (one argument per line), if any. */
export function targetOfContext(text: string): string | undefined {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{")) {
    try {
      const target = JSON.parse(trimmed)?.keys?.target;
      return typeof target === "string" ? target : undefined;
    } catch {
      return undefined;
    }
  }
  const args = text.split("\n").filter((l) => l !== "");
  let found: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const m = /^(?:-t|--target)(?:=(.*))?$/.exec(a) ?? /^-t(.+)$/.exec(a);
    if (!m) continue;
    found = m[1] ?? args[++i];
  }
  return found !== undefined && /^[a-z][a-z0-9-]*$/.test(found) ? found : undefined;
}

/** The `fmt.lineWidth` of the nearest deno.json above `dir` (deno fmt's), else 80. */
async function projectLineWidth(dir: string): Promise<number> {
  for (let d = dir;; d = dirname(d)) {
    for (const name of ["deno.json", "deno.jsonc"]) {
      let text: string;
      try {
        text = await Deno.readTextFile(join(d, name));
      } catch {
        continue;
      }
      try {
        const width = JSON.parse(text)?.fmt?.lineWidth;
        return Number.isInteger(width) && width > 0 ? width : 80;
      } catch {
        return 80;
      }
    }
    if (dirname(d) === d) return 80;
  }
}
