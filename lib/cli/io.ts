/**
 * The process surroundings of a CLI run, passed explicitly so that commands never read the
 * global working directory or environment (and tests can run them in-process).
 * @module
 */

import type { FileSystem } from "../write.ts";
import { fileSystemFor } from "../fault_injection.ts";
import { unikInvocation } from "../self.ts";
import type { OutputStyle } from "./output.ts";

/** Where a command runs and prints. */
export interface CliIO {
  /** The working directory: the project root. */
  readonly cwd: string;
  /** Environment variables. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Prints to standard output. */
  out(text: string): void;
  /** Prints to standard error. */
  err(text: string): void;
  /** The file operations used to write generated files (tests inject failing ones). */
  readonly fs?: FileSystem;
  /**
   * The command that runs this unik, written into the generated Makefile and opam file (see
   * lib/self.ts; tests that compare with golden files give `["unik"]`).
   */
  readonly unikCommand: readonly string[];
  /** Set when standard error is a terminal: its width, for status lines. */
  readonly terminal?: { readonly columns: number };
  /** How much to print and whether in colour (`-q`, `-v`, `--color`; see ./output.ts). */
  readonly style?: OutputStyle;
}

function stderrTerminal(): { columns: number } | undefined {
  if (!Deno.stderr.isTerminal()) return undefined;
  try {
    return { columns: Deno.consoleSize().columns };
  } catch {
    return { columns: 80 };
  }
}

const encoder = new TextEncoder();

function writeFully(stream: { writeSync(p: Uint8Array): number }, text: string): void {
  const data = encoder.encode(text);
  let done = 0;
  while (done < data.length) done += stream.writeSync(data.subarray(done));
}

/** The real process. */
export function processIO(): CliIO {
  const env = Deno.env.toObject();
  return {
    cwd: Deno.cwd(),
    env,
    fs: fileSystemFor(env),
    out: (text) => writeFully(Deno.stdout, text),
    err: (text) => writeFully(Deno.stderr, text),
    unikCommand: unikInvocation(),
    terminal: stderrTerminal(),
  };
}
