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
  const level = options.level === undefined ? "info" : options.level;
  const ocamlLevel = level === null ? "None" : `(Some ${LEVELS[level]})`;
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
