/**
 * The `unik` command line. Configure-time keys are flags, so the command line is read in two
 * steps: find the config file and start evaluating it (sandboxed) to learn its keys, then parse
 * every option with the keys added. The option parser and the commands load while the worker
 * evaluates config.ts, so that the two overlap.
 * @module
 */

import { parseArgs } from "node:util";
import { fileURLToPath, pathToFileURL } from "node:url";
import { join, relative } from "node:path";
import { type CliIO, processIO } from "./lib/cli/io.ts";
import { fileExists, LOCK_FILE, type ProjectPaths, projectPaths } from "./lib/cli/project.ts";
import { acquireProjectLock } from "./lib/project_lock.ts";
import { JOURNAL, recoverInterruptedWrite } from "./lib/write.ts";
import { exitCodeOf, formatError, UnikError, usageError } from "./lib/errors.ts";
// Not lib/sandbox/mod.ts: the session (and zod, which checks its messages) loads only when a
// command evaluates config.ts, never for --version or a replayed configure.
import type { ConfigSession } from "./lib/sandbox/session.ts";
import type { StartedSandbox } from "./lib/sandbox/process.ts";
import {
  discardSandbox,
  EVAL_HEAP_MB,
  SANDBOX_COMMAND,
  startSandboxEarly,
} from "./lib/sandbox/process.ts";
import { pluginImports } from "./lib/plugins/imports.ts";
import type { ProjectPlugins } from "./lib/plugins/project.ts";
import { UNIK_VERSION } from "./lib/version.ts";
import { COMMANDS } from "./lib/cli/command_names.ts";
import { extractGlobalOptions } from "./lib/cli/global_options.ts";
import {
  colorEnabled,
  debug,
  info,
  notice,
  paintError,
  seconds,
  tracingTo,
} from "./lib/cli/output.ts";
import { cacheDir } from "./lib/cache_dir.ts";
import { localModuleGraph } from "./lib/sandbox/module_graph.ts";
import {
  applyReplay,
  currentInputs,
  findReplay,
  replayKey,
  ReplayRecorder,
  saveReplay,
  sourceFingerprint,
} from "./lib/replay.ts";

/** Reads the options needed before the config is evaluated. */
function prescan(rest: string[]) {
  const normalized = rest.map((a) => a.replace(/^--config-file(?==|$)/, "--file"));
  const { values } = parseArgs({
    args: normalized,
    strict: false,
    options: {
      file: { type: "string", short: "f" },
      "context-file": { type: "string" },
      help: { type: "boolean", short: "h" },
      frozen: { type: "boolean" },
      fresh: { type: "boolean" },
      "dry-run": { type: "boolean" },
    },
  });
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  return {
    normalized,
    file: str(values.file),
    contextFile: str(values["context-file"]),
    help: values.help === true,
    frozen: values.frozen === true,
    fresh: values.fresh === true,
    dryRun: values["dry-run"] === true,
  };
}

const loadCommands = () => import("./lib/cli/commands.ts");

async function runCommand(name: string, argv: string[], io: CliIO): Promise<number> {
  const dash = name === "run" ? argv.indexOf("--") : -1;
  const rest = dash < 0 ? argv : argv.slice(0, dash);
  const bootArgs = dash < 0 ? [] : argv.slice(dash + 1);
  const scan = prescan(rest);
  const paths = projectPaths(io.cwd, scan.file, scan.contextFile);
  // `run --dry-run` prints the tender command, but builds first.
  const writes = ["configure", "build", "run", "clean"].includes(name) && !scan.help &&
    !(scan.dryRun && name !== "run");
  const replays = cacheDir(io.env, "configure");
  return await underLock(
    writes,
    paths.root,
    name,
    io,
    relative(paths.root, paths.contextPath),
    () =>
      name === "configure" && writes && replays
        ? replayOrConfigure(replays, rest, scan, paths, io)
        : name === "build" && writes && replays
        ? replayOrBuild(replays, rest, scan, paths, io)
        : evaluateAndRun(name, bootArgs, scan, paths, io),
  );
}

const UNIK_ROOT = new URL("./", import.meta.url);

/**
 * What a replayed command's result depends on besides the files it read: unik itself, the
 * project's paths, the command line, how unik is invoked and the variables mirage reads.
 */
function commandReplayKey(
  prefix: readonly string[],
  argv: readonly string[],
  paths: ProjectPaths,
  io: CliIO,
): string {
  return replayKey([
    ...prefix,
    UNIK_VERSION,
    sourceFingerprint(UNIK_ROOT),
    Deno.build.os,
    paths.root,
    paths.configPath,
    paths.contextPath,
    JSON.stringify(argv),
    JSON.stringify(io.unikCommand),
    ...["MODE", "MIRAGE_DEFAULT_TARGET", "MIRAGE_EXTRA_REPOS"].map((v) => `${v}=${io.env[v]}`),
  ]);
}

/**
 * Configures, or replays the last configure of this project and command line when nothing it
 * read has changed (see lib/replay.ts).
 */
async function replayOrConfigure(
  replays: string,
  argv: string[],
  scan: ReturnType<typeof prescan>,
  paths: ProjectPaths,
  io: CliIO,
): Promise<number> {
  const key = commandReplayKey([], argv.filter((a) => a !== "--fresh"), paths, io);
  if (!scan.fresh) {
    const entry = await findReplay(replays, key);
    if (entry) {
      await applyReplay(paths.root, entry, io);
      info(io, "replayed the last configure: nothing it read has changed (--fresh evaluates)");
      return 0;
    }
    debug(io, "no configure of this command line with these inputs is recorded: evaluating");
  }
  const recorder = new ReplayRecorder();
  const code = await evaluateAndRun("configure", [], scan, paths, io, recorder);
  const entry = code === 0 ? recorder.entry(key) : undefined;
  if (entry) await saveReplay(replays, entry);
  return code;
}

/**
 * A build whose configure would replay runs its steps on the recorded configuration, without
 * evaluating config.ts (see lib/commands/build_replay.ts); other builds record one.
 */
async function replayOrBuild(
  replays: string,
  argv: string[],
  scan: ReturnType<typeof prescan>,
  paths: ProjectPaths,
  io: CliIO,
): Promise<number> {
  const replay = await import("./lib/commands/build_replay.ts");
  const plain = replay.plainBuildOptions(argv);
  if (!plain) return await evaluateAndRun("build", [], scan, paths, io);
  const key = commandReplayKey(["build"], argv, paths, io);
  const entry = await findReplay(replays, key);
  const input = entry && replay.validBuildInput(entry.build);
  if (entry && input) {
    await applyReplay(paths.root, entry, io);
    info(io, "replayed the configure of the last build: nothing it read has changed");
    await replay.replayedBuild(paths, input, plain, io);
    return 0;
  }
  const recorder = new ReplayRecorder();
  const code = await evaluateAndRun("build", [], scan, paths, io, recorder);
  const recorded = code === 0 ? recorder.entry(key) : undefined;
  if (recorded?.build) await saveReplay(replays, recorded);
  return code;
}

/**
 * Runs `body`, holding the project lock when the command writes (saying so when it has to
 * wait) and first bringing back any write an interrupted unik left half done. A command that
 * only reads takes the lock just long enough for that when there is a journal, so that it
 * never reads a mix of old and new files.
 */
async function underLock<T>(
  writes: boolean,
  root: string,
  command: string,
  io: CliIO,
  context: string | undefined,
  body: () => Promise<T>,
): Promise<T> {
  if (!writes) {
    const journal = await Deno.lstat(join(root, JOURNAL)).then(() => true, () => false);
    if (!journal) return await body();
  }
  const lock = await acquireProjectLock(root, `unik ${command}`, {
    timeoutMs: io.env.UNIK_LOCK_TIMEOUT_MS ? Number(io.env.UNIK_LOCK_TIMEOUT_MS) : undefined,
    onWait: (h) =>
      notice(
        io,
        `Waiting for ${h ? `unik (pid ${h.pid}, '${h.command}')` : "another unik"} to finish...\n`,
      ),
  });
  try {
    const recovered = await recoverInterruptedWrite(root, { context, fs: io.fs });
    if (recovered === "completed") {
      notice(io, "Completed the files an interrupted unik was writing.\n");
    }
    if (recovered === "restored") {
      notice(io, "Restored the files an interrupted unik was replacing.\n");
    }
    if (!writes) lock.release();
    return await body();
  } finally {
    lock.release();
  }
}

/** Evaluates the config (for commands that need it) and runs the command. */
async function evaluateAndRun(
  name: string,
  bootArgs: string[],
  scan: ReturnType<typeof prescan>,
  paths: ProjectPaths,
  io: CliIO,
  recorder?: ReplayRecorder,
): Promise<number> {
  // Started here, not earlier: a replayed configure never loads the commands, most of unik.
  const loading = loadCommands();
  const hasConfig = await fileExists(paths.configPath);
  let session: ConfigSession | undefined;
  let plugins: ProjectPlugins | undefined;
  if (hasConfig && name !== "clean" && name !== "check") {
    // The sandbox process starts first, so that its Deno starting overlaps with all that
    // comes before the evaluation here (see lib/sandbox/process.ts).
    const heapMb = io.env.UNIK_EVAL_HEAP_MB ? Number(io.env.UNIK_EVAL_HEAP_MB) : undefined;
    const early = startSandboxEarly(paths.root, heapMb ?? EVAL_HEAP_MB, paths.root);
    // Keep a failed command-module load from going unobserved while the sandbox works.
    loading.catch(() => {});
    session = await openSession(paths, scan, io, early, recorder, (p) => {
      plugins = p;
    });
  } else if (!hasConfig && !scan.help && name !== "clean") {
    throw new UnikError("config", `configuration file ${paths.configFile} missing`, {
      hint: "write a config.ts in this directory, or name one with -f FILE",
    });
  }
  try {
    const { runConfigCommand } = await loading;
    const code = await runConfigCommand(
      name,
      scan.normalized,
      bootArgs,
      paths,
      session,
      plugins,
      io,
      recorder,
    );
    if (recorder && session) recorder.hermetic = session.hermetic;
    return code;
  } finally {
    await session?.close();
  }
}

/**
 * Resolves config.ts's plugins, records its inputs and opens its evaluation in the sandbox
 * process `early` (ended if the evaluation never takes it).
 */
async function openSession(
  paths: ProjectPaths,
  scan: ReturnType<typeof prescan>,
  io: CliIO,
  early: StartedSandbox | undefined,
  recorder: ReplayRecorder | undefined,
  resolved: (plugins: ProjectPlugins) => void,
): Promise<ConfigSession> {
  let plugins: ProjectPlugins | undefined;
  try {
    const source = await Deno.readTextFile(paths.configPath);
    const configUrl = pathToFileURL(paths.configPath).href;
    const entries = pluginImports(source, configUrl);
    if (entries.length > 0) {
      // Plugin resolution (zod, hashing, downloads) is loaded only for configs that need it.
      const { resolveProjectPlugins } = await import("./lib/plugins/project.ts");
      plugins = await resolveProjectPlugins(paths.root, entries, {
        frozen: scan.frozen,
        env: io.env,
      });
      resolved(plugins);
    }
    const modules = await localModuleGraph(paths.configPath);
    debug(
      io,
      `config.ts and its local modules: ${modules.map((m) => relative(io.cwd, m)).join(" ")}`,
    );
    if (recorder) {
      recorder.inputs = currentInputs([
        ...modules,
        paths.contextPath,
        join(paths.root, LOCK_FILE),
      ]);
    }
    const { ConfigSession } = await import("./lib/sandbox/session.ts");
    const taken = early;
    early = undefined;
    const started = performance.now();
    const session = await ConfigSession.open(paths.configPath, paths.root, {
      plugins: plugins?.plugins,
      timeoutMs: io.env.UNIK_EVAL_TIMEOUT_MS ? Number(io.env.UNIK_EVAL_TIMEOUT_MS) : undefined,
      heapMb: io.env.UNIK_EVAL_HEAP_MB ? Number(io.env.UNIK_EVAL_HEAP_MB) : undefined,
      modules,
      output: { out: io.out, err: io.err },
      started: taken,
    });
    info(io, `evaluated ${paths.configFile} in the sandbox process in ${seconds(started)}`);
    return session;
  } finally {
    if (early) await discardSandbox(early);
  }
}

function relativePositions(error: UnikError, cwd: string): UnikError {
  if (!error.pos || !error.pos.file.startsWith("file:")) return error;
  const file = relative(cwd, fileURLToPath(error.pos.file));
  return new UnikError(error.kind, error.message, {
    pos: { ...error.pos, file },
    hint: error.hint,
  });
}

/** `unik migrate`, whose configure step is `unik configure` itself, in-process. */
async function runMigrate(argv: string[], io: CliIO): Promise<number> {
  return await (await loadCommands()).runMigrateCommand(
    argv,
    io,
    (cwd, args) => runCli(["configure", ...args], { ...io, cwd }),
  );
}

/** The help topics that are no command: the standard devices and the targets. */
const HELP_TOPICS = ["devices", "device", "targets"];

/** `unik help [TOPIC]`: the main help, a command's help, or a topic of lib/help/. */
async function runHelp(rest: readonly string[], io: CliIO): Promise<number> {
  const topic = rest[0];
  if (topic === undefined) io.out((await loadCommands()).mainHelp());
  else if (topic === "topics") io.out(`${[...Object.keys(COMMANDS), ...HELP_TOPICS].join(" ")}\n`);
  else if (topic === "plugin") return await (await loadCommands()).runPluginCommand(["--help"], io);
  else if (topic === "migrate") return await runMigrate(["--help"], io);
  else if (HELP_TOPICS.includes(topic)) {
    io.out(await (await import("./lib/help/topics.ts")).helpTopic(topic, rest.slice(1)));
  } else if (topic in COMMANDS && topic !== "help") return await runCommand(topic, ["--help"], io);
  else {
    const { didYouMean } = await import("./lib/cli/suggest.ts");
    const topics = [...Object.keys(COMMANDS), "topics", ...HELP_TOPICS];
    throw usageError(`unknown help topic '${topic}'${didYouMean(topic, topics)}`, {
      hint: "'unik help topics' lists them",
    });
  }
  return 0;
}

/** Runs the unik command line; returns the exit code. */
export async function runCli(argv: readonly string[], given: CliIO): Promise<number> {
  let io = given;
  try {
    const common = extractGlobalOptions(argv);
    // A run inside a run (migrate's configure) keeps the outer one's choices.
    const style = given.style && !common.present
      ? given.style
      : { verbosity: common.verbosity, color: colorEnabled(common.color, given) };
    io = { ...given, style };
    const started = performance.now();
    const code = await tracingTo(io, () => dispatch(common.argv, io));
    info(
      io,
      `${["unik", ...common.argv.slice(0, 1)].join(" ")}: exit ${code} after ${seconds(started)}`,
    );
    return code;
  } catch (e) {
    return reportFailure(e, io);
  }
}

/** Prints an error the way unik reports every error; returns its exit code. */
function reportFailure(e: unknown, io: CliIO): number {
  const error = e instanceof UnikError
    ? relativePositions(e, io.cwd)
    : new UnikError("internal", `internal error: ${e instanceof Error ? e.stack : e}`);
  io.err(`${paintError(io, formatError(error))}\n`);
  return exitCodeOf(error.kind);
}

/** Runs one command line, without the common options. */
async function dispatch(argv: readonly string[], io: CliIO): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === undefined || first === "--help" || first === "-h") {
      io.out((await loadCommands()).mainHelp());
      return 0;
    }
    if (first === "--version") {
      io.out(`${UNIK_VERSION}\n`);
      return 0;
    }
    if (first === "init" || first === "help" && rest[0] === "init") {
      return await (await loadCommands()).runInitCommand(first === "init" ? rest : ["--help"], io);
    }
    if (first === "help") return await runHelp(rest, io);
    if (first === "plugin") {
      const writes = ["add", "remove", "update", "allow"].includes(rest[0]) &&
        !rest.includes("--help");
      return await underLock(
        writes,
        io.cwd,
        `plugin ${rest[0]}`,
        io,
        undefined,
        async () => (await loadCommands()).runPluginCommand(rest, io),
      );
    }
    if (first === "migrate") return await runMigrate(rest, io);
    if (!(first in COMMANDS)) {
      const { didYouMean } = await import("./lib/cli/suggest.ts");
      if (first.startsWith("-")) {
        const options = ["help", "version", "verbose", "verbosity", "quiet", "color"];
        const near = didYouMean(first.replace(/^--?/, ""), options, (o) => `--${o}`);
        throw usageError(`unknown option '${first}'${first.startsWith("--") ? near : ""}`, {
          hint: "'unik --help' lists the commands; options follow the command",
        });
      }
      throw usageError(`unknown command '${first}'${didYouMean(first, Object.keys(COMMANDS))}`, {
        hint: `commands: ${Object.keys(COMMANDS).join(", ")}`,
      });
    }
    return await runCommand(first, rest, io);
  } catch (e) {
    return reportFailure(e, io);
  }
}

if (import.meta.main) {
  if (Deno.build.standalone && Deno.args[0] === SANDBOX_COMMAND) {
    // A compiled unik started as its own sandbox process (see lib/sandbox/process.ts).
    await (await import("./lib/sandbox/host.ts")).runSandboxHost();
    Deno.exit(0);
  }
  Deno.exit(await runCli(Deno.args, processIO()));
}
