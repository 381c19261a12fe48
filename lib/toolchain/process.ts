/**
 * Running external tools: one step at a time, its output shown live (see progress.ts) and kept
 * whole in a log file, and on failure an error carrying the command, its exit code, the tail
 * of its output and the log's path. Child processes are stopped when unik is interrupted.
 * @module
 */

import { traced } from "../cli/output.ts";
import { join } from "node:path";
import { UnikError } from "../errors.ts";
import { type ProgressSink, StepProgress } from "./progress.ts";

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
  /** A short name: the prefix of its output lines and the name of its log file. */
  readonly label: string;
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

/** Where a step reports: progress on standard error, its output in a log directory. */
export interface StepReporting extends ProgressSink {
  /** The directory of the step logs (absolute); created when needed. */
  readonly logDir: string;
  /** The same directory as the user should see it (relative to the project). */
  readonly shownLogDir: string;
}

/**
 * Opens a fresh log file: never through a link someone planted at its place or at the log
 * directory's (whatever is there is removed, and the file is created new, O_EXCL).
 */
async function openLog(reporting: StepReporting, name: string): Promise<Deno.FsFile> {
  const dir = reporting.logDir;
  const info = await Deno.lstat(dir).catch(() => undefined);
  if (info && !info.isDirectory) {
    throw new UnikError("io", `${reporting.shownLogDir} is not a directory (a link?)`, {
      hint: `remove ${reporting.shownLogDir}: unik keeps the logs of its build steps there`,
    });
  }
  if (!info) await Deno.mkdir(dir, { recursive: true });
  const path = join(dir, name);
  await Deno.remove(path).catch(() => {});
  return await Deno.open(path, { write: true, createNew: true });
}

/** The last `n` lines of `text`. */
function tail(text: string, n: number): string {
  return text.trimEnd().split("\n").slice(-n).join("\n");
}

/**
 * Runs a step: its output (standard output and error, in the order the tool wrote them) is shown live
 * and written whole to `<log dir>/<label>.log`. Throws a toolchain error if it fails.
 */
export async function runStep(step: Step, reporting: StepReporting): Promise<void> {
  installSignalHandlers();
  const { write } = reporting;
  write(`• ${step.title}: ${showCommand(step)}\n`);
  const logName = `${step.label.replace(/[^\w.-]/g, "_")}.log`;
  const log = await openLog(reporting, logName);
  const progress = new StepProgress(reporting, step.title, step.label);
  const controller = new AbortController();
  running.add(controller);
  let kept = "";
  let code: number;
  try {
    // One pipe for both streams, so that the log and the tail keep the tool's own order: sh
    // only redirects and execs, the program and its arguments pass as positional parameters.
    const child = new Deno.Command("sh", {
      args: ["-c", 'exec "$0" "$@" 2>&1', step.tool, ...step.args],
      cwd: step.cwd,
      env: { ...step.env },
      stdin: "null",
      stdout: "piped",
      stderr: "null",
      signal: controller.signal,
    }).spawn();
    const decoder = new TextDecoder();
    for await (const chunk of child.stdout) {
      await log.write(chunk);
      const text = decoder.decode(chunk, { stream: true });
      // Only the tail goes into an error: keep a bounded window of the output.
      kept = (kept + text).slice(-64 * 1024);
      progress.output(text);
    }
    code = (await child.status).code;
  } finally {
    running.delete(controller);
    progress.finish();
    log.close();
  }
  const shownLog = join(reporting.shownLogDir, logName);
  if (code !== 0) {
    throw new UnikError(
      "toolchain",
      `${step.title} failed (exit code ${code}): ${showCommand(step)}\n${tail(kept, 20)}`,
      {
        hint: `the full output is in ${shownLog}; fix the error, then run the command again: ` +
          "finished steps are skipped",
      },
    );
  }
  write(`  done in ${progress.seconds.toFixed(1)}s\n`);
}

/** Runs a command with the terminal attached (the unikernel itself); returns its exit code. */
export async function runAttached(c: Command): Promise<number> {
  installSignalHandlers();
  const controller = new AbortController();
  running.add(controller);
  try {
    const child = new Deno.Command(c.tool, {
      args: [...c.args],
      cwd: c.cwd,
      env: { ...c.env },
      stdin: "inherit",
      stdout: "inherit",
      stderr: "inherit",
      signal: controller.signal,
    }).spawn();
    return (await traced(showCommand(c), () => child.status)).code;
  } finally {
    running.delete(controller);
  }
}

/** Whether `tool` is a program on PATH (or, with a `/`, at that path). */
export function commandExists(tool: string, path = Deno.env.get("PATH") ?? ""): boolean {
  const executable = (file: string) => {
    try {
      const info = Deno.statSync(file);
      return info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0;
    } catch {
      return false;
    }
  };
  if (tool.includes("/")) return executable(tool);
  return path.split(":").some((dir) => dir !== "" && executable(join(dir, tool)));
}

/** Runs a query (`ocamlc -version`): its exit code, standard output and error, captured. */
export async function capture(
  tool: string,
  args: readonly string[],
  cwd?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await traced(
    showCommand({ tool, args, cwd: cwd ?? "." }),
    () =>
      new Deno.Command(tool, {
        args: [...args],
        cwd,
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).output(),
  );
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}
