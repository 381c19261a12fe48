/**
 * Running external tools through dax: one step at a time, with progress and elapsed time on
 * stderr, and on failure an error carrying the command, its exit code and the tail of its
 * output. Child processes are stopped when unik is interrupted.
 * @module
 */

import { $ } from "../deps/dax.ts";
import { UnikError } from "../errors.ts";

/** One external command. */
export interface Command {
  /** The program (looked up on PATH). */
  readonly tool: string;
  /** Its arguments. */
  readonly args: readonly string[];
  /** Working directory. */
  readonly cwd: string;
  /** Extra environment variables. */
  readonly env?: Readonly<Record<string, string>>;
}

/** A named step of a build. */
export interface Step extends Command {
  /** What the step does, for progress lines. */
  readonly title: string;
}

/** Shows a command as a shell line. */
export function showCommand(c: Command): string {
  const q = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`);
  return [c.tool, ...c.args].map(q).join(" ");
}

const running = new Set<AbortController>();
let handlersInstalled = false;

function installSignalHandlers(): void {
  if (handlersInstalled || Deno.build.os === "windows") return;
  handlersInstalled = true;
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(sig, () => {
      for (const c of running) c.abort();
      Deno.exit(sig === "SIGINT" ? 130 : 143);
    });
  }
}

/** Where progress goes. */
export type Report = (line: string) => void;

/** Runs a step, capturing its output; throws a toolchain error if it fails. */
export async function runStep(step: Step, report: Report): Promise<void> {
  installSignalHandlers();
  report(`• ${step.title}: ${showCommand(step)}`);
  const started = performance.now();
  const controller = new AbortController();
  running.add(controller);
  let result;
  try {
    result = await $`${step.tool} ${step.args}`
      .cwd(step.cwd)
      .env({ ...step.env })
      .signal(controller.signal)
      .stdin("null")
      .noThrow()
      .captureCombined();
  } finally {
    running.delete(controller);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (result.code !== 0) {
    const tail = result.combined.trimEnd().split("\n").slice(-20).join("\n");
    throw new UnikError(
      "toolchain",
      `${step.title} failed (exit code ${result.code}): ${showCommand(step)}\n${tail}`,
      { hint: "fix the error above, then run the command again: finished steps are skipped" },
    );
  }
  report(`  done in ${seconds}s`);
}

/** Runs a command with the terminal attached (the unikernel itself); returns its exit code. */
export async function runAttached(c: Command): Promise<number> {
  installSignalHandlers();
  const controller = new AbortController();
  running.add(controller);
  try {
    const r = await $`${c.tool} ${c.args}`.cwd(c.cwd).env({ ...c.env }).signal(controller.signal)
      .noThrow();
    return r.code;
  } finally {
    running.delete(controller);
  }
}
