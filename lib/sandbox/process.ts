/**
 * How unik starts the sandbox process (host.ts). Run from sources, it is Deno itself with no
 * configuration, lock file or prompt, modules only from the cache and never from the network
 * (`--cached-only`: a computed `import("npm:...")` fails without a request; `--no-remote`:
 * no http(s) or jsr: module), reads only of the project and of unik's sources, and a heap
 * limit. Compiled (`deno compile`), Deno.execPath() is unik itself, so the sandbox is the same
 * binary started with the hidden {@link SANDBOX_COMMAND}; its permissions are the binary's,
 * which is why the Worker inside (no permission at all but reads) is the layer that holds
 * there. `Deno.build.standalone` is true exactly in a binary made by `deno compile`.
 * @module
 */

import { fileURLToPath } from "node:url";

/** The hidden first argument that makes a compiled unik run as its own sandbox process. */
export const SANDBOX_COMMAND = "__unik_sandbox";

/** The heap limit of the sandbox process (MiB), by default (UNIK_EVAL_HEAP_MB overrides it). */
export const EVAL_HEAP_MB = 1024;

const HOST = new URL("./host.ts", import.meta.url);
const UNIK_ROOT = new URL("../../", import.meta.url);

/** unik's own sources, when they are files (always but when run from a remote URL). */
export const UNIK_SOURCES: string | undefined = UNIK_ROOT.protocol === "file:"
  ? fileURLToPath(UNIK_ROOT)
  : undefined;

/**
 * Environment variables the sandbox process gets: where Deno's cache is, and PATH (so that a
 * refused program is reported as refused rather than as not found). The Worker reads none.
 */
const PASSED_ENV = [
  "DENO_DIR",
  "HOME",
  "XDG_CACHE_HOME",
  "NPM_CONFIG_REGISTRY",
  "NO_COLOR",
  "PATH",
];

/**
 * The program, arguments and environment of a sandbox process that may read `read`; its
 * environment is taken from `from` (default: unik's own).
 */
export function sandboxCommand(
  read: readonly string[],
  heapMb: number,
  from: Readonly<Record<string, string>> = Deno.env.toObject(),
): { program: string; args: string[]; env: Record<string, string> } {
  const v8 = `--max-old-space-size=${heapMb}`;
  const env: Record<string, string> = { DENO_NO_UPDATE_CHECK: "1" };
  for (const name of PASSED_ENV) {
    const value = from[name];
    if (value !== undefined) env[name] = value;
  }
  if (Deno.build.standalone) {
    // A compiled binary takes no --v8-flags argument; Deno reads them from the environment.
    env.DENO_V8_FLAGS = v8;
    return { program: Deno.execPath(), args: [SANDBOX_COMMAND], env };
  }
  const args = [
    "run",
    "--no-config",
    "--no-lock",
    "--cached-only",
    ...(HOST.protocol === "file:" ? ["--no-remote"] : []),
    "--no-prompt",
    "--unstable-worker-options",
    `--allow-read=${read.join(",")}`,
    `--v8-flags=${v8}`,
    HOST.protocol === "file:" ? fileURLToPath(HOST) : HOST.href,
  ];
  return { program: Deno.execPath(), args, env };
}

/**
 * What the sandbox process may read: the project (its real path and the path as given) and
 * unik's sources. The same whatever the config may read, which the Worker inside is told.
 */
export function processReadScope(projectRoot: string): string[] {
  const root = Deno.realPathSync(projectRoot);
  return [...new Set([root, projectRoot, ...(UNIK_SOURCES ? [UNIK_SOURCES] : [])])];
}

/** A sandbox process started ahead of the config's evaluation, and what it was started with. */
export interface StartedSandbox {
  /** The process, its standard streams piped, waiting for its first line. */
  readonly child: Deno.ChildProcess;
  /** How it was started ({@link sandboxCommand}), to compare with how a session would. */
  readonly command: { program: string; args: string[]; env: Record<string, string> };
}

/**
 * Starts the sandbox process for `projectRoot` early, so that Deno starting it overlaps with
 * what unik does before the evaluation (loading the commands, the protocol's schemas, reading
 * config.ts's module graph): it waits for its first line, which says what the Worker may read.
 * Undefined where the session's own start would fail (a comma in a path): it reports that.
 */
export function startSandboxEarly(
  projectRoot: string,
  heapMb: number,
  cwd: string,
  from?: Readonly<Record<string, string>>,
): StartedSandbox | undefined {
  let read: string[];
  try {
    read = processReadScope(projectRoot);
  } catch {
    return undefined;
  }
  if (read.some((p) => p.includes(","))) return undefined;
  const command = sandboxCommand(read, heapMb, from);
  return { child: spawnSandbox(command, cwd), command };
}

/**
 * Starts the sandbox process `command` describes in `cwd`, with only the environment it gives
 * and its standard streams piped (the protocol runs over them): the one way a session's
 * process is started, early or not, so both start the same process.
 */
export function spawnSandbox(
  command: { program: string; args: string[]; env: Record<string, string> },
  cwd: string,
): Deno.ChildProcess {
  return new Deno.Command(command.program, {
    args: command.args,
    env: command.env,
    cwd,
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** Ends an early sandbox process that no evaluation took. */
export async function discardSandbox(started: StartedSandbox): Promise<void> {
  try {
    started.child.kill("SIGKILL");
  } catch { /* already gone */ }
  await started.child.stdin.close().catch(() => {});
  await Promise.all([
    started.child.stdout.cancel().catch(() => {}),
    started.child.stderr.cancel().catch(() => {}),
  ]);
  await started.child.status;
}
