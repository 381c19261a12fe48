/**
 * The log reporter: mirage-logs prints timestamped log lines on the console.
 * @module
 */

import { type Impl, impl, job, pkg } from "../lib/mod.ts";
import { logsArg } from "./runtime.ts";

/** A Logs level. */
export type LogLevel = "app" | "error" | "warning" | "info" | "debug";

const LEVELS: Record<LogLevel, string> = {
  app: "Logs.App",
  error: "Logs.Error",
  warning: "Logs.Warning",
  info: "Logs.Info",
  debug: "Logs.Debug",
};

/** Options of {@link defaultReporter}. */
export interface ReporterOptions {
  /** Default level when `-l` does not say (default `info`; `null` for none). */
  readonly level?: LogLevel | null;
}

/** The console log reporter, with `-l/--logs` to set levels at boot. */
export function defaultReporter(options: ReporterOptions = {}): Impl<"job"> {
  checkArgs(defaultReporter, [options], reporterParams());
  const ocamlLevel = ocamlLevelOf(options.level === undefined ? "info" : options.level);
  return impl("Mirage_logs", job, {
    packages: [pkg("mirage-logs", { min: "3.0.0", max: "4.0.0" })],
    runtimeArgs: [logsArg],
    connect: (_i, m, [logs]) =>
      [
        `let reporter = ${m}.create () in`,
        `Mirage_runtime.set_level ~default:${ocamlLevel} ${logs};`,
        "Logs.set_reporter reporter;",
        "Lwt.return reporter",
      ].join("\n"),
  });
}

/** No reporter: `register` then adds no reporter job at all. */
export const noReporter: Impl<"job"> = impl("Mirage_runtime", job, {
  connect: () => "assert false",
});

/** The OCaml value of a default level: `(Some Logs.Info)`, or `None`. */
function ocamlLevelOf(level: LogLevel | null): string {
  return level === null ? "None" : `(Some ${LEVELS[level]})`;
}

/** The parameters of {@link defaultReporter}, checked before it reads them. */
function reporterParams(): readonly Param[] {
  return [["options", optionsOf({ level: oneOf(...Object.keys(LEVELS), null) })]];
}

// Imported last: main.ml's `# line` directives cite the lines of this file's devices, which
// must not move.
import { checkArgs, oneOf, optionsOf, type Param } from "../lib/dsl/args.ts";
