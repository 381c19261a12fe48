/**
 * How a running step shows itself. On a terminal with colours on (`--color=auto` without
 * NO_COLOR, or `--color=always`) one status line is redrawn in place: the step, its elapsed
 * time and the tool's latest line. Elsewhere (a pipe, a CI log, `--color=never`, NO_COLOR)
 * every line of the tool's output is printed as it comes, prefixed with the step's label, so
 * that a long `opam monorepo pull` is never silent; in colour only when colours are on. With
 * `-q` nothing is shown (a failure is still reported, as an error).
 * @module
 */

import type { CliIO } from "../cli/io.ts";
import { colorEnabled, NORMAL, paint, shows } from "../cli/output.ts";

/** Where a step's progress goes. */
export interface ProgressSink {
  /** Writes to standard error. */
  readonly write: (text: string) => void;
  /** Draw a status line (standard error is a terminal and colours are allowed). */
  readonly live: boolean;
  /** The terminal's width, for the status line. */
  readonly columns: number;
  /** Whether the progress may be coloured (absent: no colour). */
  readonly color?: boolean;
}

/**
 * The progress sink of a command: standard error, live on a colour terminal, silent under
 * `-q`. Without an output style (a caller that parsed no command line) colours follow
 * `--color=auto`.
 */
export function progressSinkFor(io: CliIO): ProgressSink {
  const quiet = !shows(io, NORMAL);
  const color = io.style ? io.style.color : colorEnabled("auto", io);
  return {
    write: quiet ? () => {} : io.err,
    live: !quiet && io.terminal !== undefined && color,
    columns: io.terminal?.columns ?? 80,
    color,
  };
}

// deno-lint-ignore no-control-regex
const CONTROL = /\x1b\[[0-9;?]*[A-Za-z]|[\x00-\x08\x0b-\x1f\x7f]/g;

/** A tool's line as it may be shown: no escape sequences or control characters of its own. */
export function cleanLine(line: string): string {
  return line.replace(CONTROL, "").trimEnd();
}

/** The status line: `• TITLE 12.3s │ LATEST`, cut to `columns - 1` characters. */
export function statusLine(
  title: string,
  seconds: number,
  latest: string,
  columns: number,
): string {
  const head = `• ${title} ${seconds.toFixed(1)}s`;
  const line = latest ? `${head} │ ${latest}` : head;
  const width = Math.max(columns - 1, 20);
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}

/** The progress of one step: feed it the tool's output; `finish` clears the status line. */
export class StepProgress {
  #latest = "";
  readonly #partial = new Map<string, string>();
  #timer?: ReturnType<typeof setInterval>;
  readonly #started = performance.now();

  /** Starts showing the step `title`, whose output lines are prefixed `[label]`. */
  constructor(
    private readonly sink: ProgressSink,
    private readonly title: string,
    private readonly label: string,
  ) {
    if (sink.live) {
      this.#draw();
      this.#timer = setInterval(() => this.#draw(), 200);
    }
  }

  /** Seconds since the step started. */
  get seconds(): number {
    return (performance.now() - this.#started) / 1000;
  }

  /**
   * Takes a chunk of the tool's output from one of its streams (`stdout`, `stderr`): each
   * stream's partial last line waits for the rest of it.
   */
  output(text: string, stream = "stdout"): void {
    const lines = ((this.#partial.get(stream) ?? "") + text).split(/\r?\n|\r/);
    this.#partial.set(stream, lines.pop() ?? "");
    for (const line of lines) this.#line(line);
  }

  #line(raw: string): void {
    const line = cleanLine(raw);
    if (line === "") return;
    this.#latest = line;
    if (this.sink.live) this.#draw();
    else {this.sink.write(
        `  ${paint(this.sink.color ?? false, "dim", `[${this.label}]`)} ${line}\n`,
      );}
  }

  #draw(): void {
    const line = statusLine(this.title, this.seconds, this.#latest, this.sink.columns);
    // The tool's line is dimmed, painted after cutting so that escapes never count as width.
    const at = line.indexOf(" │ ");
    const shown = this.sink.color && at >= 0
      ? `${line.slice(0, at + 3)}${paint(true, "dim", line.slice(at + 3))}`
      : line;
    this.sink.write(`\r\x1b[2K${shown}`);
  }

  /** Stops the status line (and prints the last partial line of output). */
  finish(): void {
    for (const rest of this.#partial.values()) if (rest) this.#line(rest);
    this.#partial.clear();
    if (this.#timer !== undefined) clearInterval(this.#timer);
    if (this.sink.live) this.sink.write("\r\x1b[2K");
  }
}
