/**
 * How much unik prints and whether in colour (mirage's `-q`, `-v`, `--verbosity`, `--color`).
 * Every message unik prints goes through one of these levels:
 * - results (what a command was asked for: `query`, `describe`, help, `--dry-run` lists) and
 *   errors are always printed, with plain `io.out` / `io.err`;
 * - {@link notice}: what a command did or warns about (`Successfully configured...`, a build
 *   step and its time): hidden by `-q`;
 * - {@link info}: `-v`, each command unik runs and how long it took;
 * - {@link debug}: `-vv`, why unik did what it did (a replay, the modules config.ts reads).
 *
 * Plain data and a few functions: loaded by every unik run, so nothing heavy here.
 * @module
 */

import type { CliIO } from "./io.ts";

/** `-q`: errors and results only. */
export const QUIET = 0;
/** The default: results, errors and what each command does. */
export const NORMAL = 1;
/** `-v`: also each command unik runs, with its time. */
export const VERBOSE = 2;
/** `-vv`: also why unik does what it does. */
export const DEBUG = 3;

/** The output choices of one unik run. */
export interface OutputStyle {
  /** {@link QUIET}, {@link NORMAL}, {@link VERBOSE} or {@link DEBUG}. */
  readonly verbosity: number;
  /** Whether messages may carry ANSI colours. */
  readonly color: boolean;
}

/** The output style of `io` (the default when the caller gave none: normal, no colour). */
function styleOf(io: Pick<CliIO, "style">): OutputStyle {
  return io.style ?? { verbosity: NORMAL, color: false };
}

/** Whether messages of `level` are shown. */
export function shows(io: Pick<CliIO, "style">, level: number): boolean {
  return styleOf(io).verbosity >= level;
}

/**
 * Prints what a command did or warns about, on standard error unless `stream` says `out`;
 * nothing under `-q`.
 */
export function notice(io: CliIO, text: string, stream: "out" | "err" = "err"): void {
  if (!shows(io, NORMAL) || text === "") return;
  if (stream === "out") io.out(text);
  else io.err(text);
}

/** With `-v`: one line on standard error, `unik: TEXT`, dimmed when colours are on. */
export function info(io: CliIO, text: string): void {
  if (shows(io, VERBOSE)) io.err(`${paint(io, "dim", `unik: ${text}`)}\n`);
}

/** With `-vv`: one line on standard error, `unik: [debug] TEXT`. */
export function debug(io: CliIO, text: string): void {
  if (shows(io, DEBUG)) io.err(`${paint(io, "dim", `unik: [debug] ${text}`)}\n`);
}

/** A colour or emphasis of {@link paint}. */
export type Paint = "red" | "green" | "yellow" | "cyan" | "bold" | "dim";

const SGR: Readonly<Record<Paint, string>> = {
  red: "31",
  green: "32",
  yellow: "33",
  cyan: "36",
  bold: "1",
  dim: "2",
};

/** `text` in `how` when colours are on (each line on its own, so that none bleeds). */
export function paint(io: Pick<CliIO, "style"> | boolean, how: Paint, text: string): string {
  const on = typeof io === "boolean" ? io : styleOf(io).color;
  if (!on || text === "") return text;
  return text.split("\n").map((l) => (l === "" ? l : `\x1b[${SGR[how]}m${l}\x1b[0m`)).join("\n");
}

/** An error message as `formatError` wrote it, coloured: the message red, the hint cyan. */
export function paintError(io: Pick<CliIO, "style">, formatted: string): string {
  if (!styleOf(io).color) return formatted;
  const at = formatted.indexOf("\n  hint: ");
  const message = at < 0 ? formatted : formatted.slice(0, at);
  const hint = at < 0 ? "" : `\n${paint(true, "cyan", formatted.slice(at + 1))}`;
  return `${paint(true, "red", message)}${hint}`;
}

/** What `--color` may say. */
export type ColorWhen = "auto" | "always" | "never";

/**
 * Whether to colour: `always`, `never`, or (`auto`) when standard error is a terminal, `NO_COLOR`
 * is unset or empty (https://no-color.org) and `TERM` is not `dumb`.
 */
export function colorEnabled(
  when: ColorWhen,
  io: Pick<CliIO, "env" | "terminal">,
): boolean {
  if (when !== "auto") return when === "always";
  return io.terminal !== undefined && !io.env.NO_COLOR && io.env.TERM !== "dumb";
}

type Tracer = (line: string) => void;
let tracer: Tracer | undefined;

/**
 * Makes {@link traced} report to `io` (with `-v`) for the run of `body`: process-wide, as a log
 * level is, because the places that start programs (lib/toolchain/process.ts) are reached from
 * many commands without an `io`.
 */
export async function tracingTo<T>(io: CliIO, body: () => Promise<T>): Promise<T> {
  if (!shows(io, VERBOSE)) return await body();
  const previous = tracer;
  tracer = (line) => info(io, line);
  try {
    return await body();
  } finally {
    tracer = previous;
  }
}

/**
 * Runs `run`, the program `shown` (a shell-quoted command line); with `-v` says that it runs it
 * and, after, its exit status and how long it took.
 */
export async function traced<T extends { code?: number }>(
  shown: string,
  run: () => Promise<T>,
): Promise<T> {
  const trace = tracer;
  if (!trace) return await run();
  trace(`run: ${shown}`);
  const started = performance.now();
  try {
    const result = await run();
    const status = result.code === undefined ? "done" : `exit ${result.code}`;
    trace(`${status} after ${seconds(started)}: ${shown}`);
    return result;
  } catch (e) {
    trace(`failed after ${seconds(started)}: ${shown}: ${(e as Error).message}`);
    throw e;
  }
}

/** Time since `started` (a `performance.now()`), as `0.12s`. */
export function seconds(started: number): string {
  return `${((performance.now() - started) / 1000).toFixed(2)}s`;
}
