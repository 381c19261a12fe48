/**
 * The parent side of config evaluation. It starts the sandbox process (process.ts, host.ts),
 * loads config.ts in it and asks it to evaluate; every message that comes back is parsed with
 * protocol.ts's schemas, and anything else is a failure of the sandbox, never an instruction.
 * From the evaluation (plain data), unik generates the files itself (lib/configure.ts
 * `generateConfiguration`) and checks that they form the generated set (generated_set.ts).
 *
 * The sandbox may read config.ts's local modules (or, when the config reads other files, the
 * project) and unik's own sources (read_scope.ts); it may not write, run programs, read the
 * environment, use the network or import anything by URL: plugins reach it as text unik has
 * verified (see lib/plugins/). A sandbox that dies (out of memory) or runs out of time is
 * killed and reported against the plugin whose code was running (exit 4), else config.ts (3).
 * @module
 */

import { pathToFileURL } from "node:url";
import { configError, type ErrorData, errorFromData, pluginError, UnikError } from "../errors.ts";
import {
  type Configured,
  type ConfigureRequest,
  type Evaluation,
  forgedReplyError,
  generateConfiguration,
  type LoadedThirdParty,
} from "../configure.ts";
import type { KeyValue } from "../dsl/key.ts";
import {
  DescribedSchema,
  EvaluationSchema,
  type Loaded,
  LoadedSchema,
  type PluginBundle,
  type Reply,
  ReplySchema,
  type Request,
  RequestSchema,
} from "./protocol.ts";
import {
  discardSandbox,
  EVAL_HEAP_MB,
  processReadScope,
  sandboxCommand,
  spawnSandbox,
  type StartedSandbox,
  UNIK_SOURCES,
} from "./process.ts";
import { assertNoEscapingLinks, readableModules } from "./read_scope.ts";
import { checkGeneratedSet } from "./generated_set.ts";
import { stripControl } from "./sanitize.ts";

/** How long a config may take to evaluate before it is stopped (ms), by default. */
export const EVAL_TIMEOUT_MS = 30_000;

/** The config read (or was refused) a file beyond its modules: to be evaluated again. */
class ReadDenied extends UnikError {}

/** Where the sandbox's own output (what config.ts and plugins print) goes, sanitised. */
export interface SandboxOutput {
  /** Their standard output. */
  out(text: string): void;
  /** Their standard error. */
  err(text: string): void;
}

/** How to evaluate a config. */
export interface OpenOptions {
  /** The verified plugins config.ts imports by URL. */
  readonly plugins?: readonly PluginBundle[];
  /** How long evaluation may take (ms). */
  readonly timeoutMs?: number;
  /** The heap limit of the sandbox process (MiB). */
  readonly heapMb?: number;
  /**
   * The only files the config may read (its local modules). When it reads another one, it is
   * evaluated again with the whole project readable, and the session is not `hermetic`.
   */
  readonly modules?: readonly string[];
  /** Where what the config prints goes (default: nowhere). */
  readonly output?: SandboxOutput;
  /** The environment the sandbox process's Deno settings come from (default: unik's own). */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * A sandbox process started ahead (process.ts startSandboxEarly), used for the first start
   * if it has the read scope and heap limit that start needs, else ended.
   */
  readonly started?: StartedSandbox;
}

/** One running sandbox process and the request it answers. */
class SandboxProcess {
  readonly #child: Deno.ChildProcess;
  readonly #nonce = crypto.randomUUID().replaceAll("-", "");
  readonly #stdin: WritableStreamDefaultWriter<Uint8Array>;
  readonly #pumps: Promise<void>[];
  readonly #exited: Promise<Deno.CommandStatus>;
  readonly #output?: SandboxOutput;
  #stderr = "";
  #waiting?: { resolve(reply: Reply): void; reject(error: unknown): void };
  #failure?: UnikError;
  /** The plugin whose code runs now, as the sandbox last said (null: config.ts or unik). */
  plugin: string | null = null;

  constructor(
    workerRead: readonly string[],
    processRead: readonly string[],
    heapMb: number,
    cwd: string,
    output?: SandboxOutput,
    baseEnv?: Readonly<Record<string, string>>,
    started?: Deno.ChildProcess,
  ) {
    this.#output = output;
    this.#child = started ?? spawnSandbox(sandboxCommand(processRead, heapMb, baseEnv), cwd);
    this.#stdin = this.#child.stdin.getWriter();
    this.#exited = this.#child.status;
    this.#pumps = [this.#readStdout(), this.#readStderr()];
    // Once its output is read to the end: an out-of-memory report comes just before the exit.
    this.#exited.then(async (status) => {
      await Promise.all(this.#pumps).catch(() => {});
      this.#died(status);
    });
    this.#send(`${JSON.stringify({ nonce: this.#nonce, read: workerRead })}\n`);
  }

  #send(line: string): void {
    this.#stdin.write(new TextEncoder().encode(line)).catch(() => {
      // The process is gone: its exit is reported by #died.
    });
  }

  async #readStdout(): Promise<void> {
    let pending = "";
    for await (const chunk of this.#child.stdout.pipeThrough(new TextDecoderStream())) {
      pending += chunk;
      let newline: number;
      while ((newline = pending.indexOf("\n")) >= 0) {
        this.#line(pending.slice(0, newline));
        pending = pending.slice(newline + 1);
      }
    }
    if (pending !== "") this.#line(pending);
  }

  async #readStderr(): Promise<void> {
    for await (const chunk of this.#child.stderr.pipeThrough(new TextDecoderStream())) {
      // Kept until the next reply: a crash report (V8's out-of-memory dump) is summarised.
      this.#stderr = (this.#stderr + chunk).slice(-1_000_000);
    }
  }

  #flushStderr(): void {
    if (this.#stderr !== "") this.#output?.err(stripControl(this.#stderr));
    this.#stderr = "";
  }

  /** One line of standard output: a protocol message when it has the nonce, else output. */
  #line(line: string): void {
    if (!line.startsWith(this.#nonce)) {
      if (line !== "") this.#output?.out(`${stripControl(line)}\n`);
      return;
    }
    let parsed: ReturnType<typeof ReplySchema.safeParse>;
    try {
      parsed = ReplySchema.safeParse(JSON.parse(line.slice(this.#nonce.length)));
    } catch {
      parsed = ReplySchema.safeParse(undefined);
    }
    if (!parsed.success) {
      this.#fail(this.#blame("sent a malformed message"));
      return;
    }
    const reply = parsed.data;
    if (reply.type === "phase") {
      this.plugin = reply.plugin;
      return;
    }
    if (reply.type === "crash") {
      this.#fail(this.#blame(`failed: ${reply.message}`));
      return;
    }
    this.#flushStderr();
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.resolve(reply);
  }

  /** The error for a sandbox that failed while the code of `this.plugin` (or config.ts) ran. */
  #blame(what: string, hint?: string): UnikError {
    const known = this.plugin !== null && this.knownPlugins.has(this.plugin);
    return known
      ? pluginError(`plugin ${this.plugin} ${what}`, {
        hint: hint ?? "the plugin misbehaves: do not use it, or report it to its author",
      })
      : configError(`evaluating the configuration ${what}`, { hint });
  }

  /** Entry URLs of the plugins loaded: the only names a phase may blame. */
  knownPlugins: ReadonlySet<string> = new Set();

  #fail(error: UnikError): void {
    this.#failure ??= error;
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.reject(this.#failure);
    this.kill();
  }

  #closing = false;

  #died(status: Deno.CommandStatus): void {
    if (this.#closing) return;
    const outOfMemory = /out of memory|heap limit|allocation failed/i.test(this.#stderr);
    this.#stderr = "";
    this.#fail(
      outOfMemory
        ? this.#blame(
          "ran out of memory",
          "look for unbounded allocations (UNIK_EVAL_HEAP_MB sets the limit, in MiB)",
        )
        : this.#blame(
          `stopped the sandbox (${
            status.signal ? `signal ${status.signal}` : `exit code ${status.code}`
          })`,
        ),
    );
  }

  /** Sends a request and waits for its reply, at most `timeoutMs`. */
  ask(request: Request, timeoutMs: number): Promise<Reply> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#fail(
          this.#blame(
            `took more than ${timeoutMs} ms`,
            "look for an endless loop (UNIK_EVAL_TIMEOUT_MS sets the limit)",
          ),
        );
      }, timeoutMs);
      this.#waiting = {
        resolve: (reply) => {
          clearTimeout(timer);
          resolve(reply);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.#send(`${JSON.stringify(RequestSchema.parse(request))}\n`);
    });
  }

  /** Stops the process at once. */
  kill(): void {
    try {
      this.#child.kill("SIGKILL");
    } catch { /* already gone */ }
  }

  /** Stops the process and waits until it and its pipes are gone. */
  async close(): Promise<void> {
    this.#closing = true;
    await this.#stdin.close().catch(() => {});
    this.kill();
    await this.#exited;
    await Promise.all(this.#pumps).catch(() => {});
  }
}

/** A loaded configuration, ready to configure. */
export class ConfigSession {
  readonly #configUrl: string;
  readonly #projectRoot: string;
  readonly #options: OpenOptions;
  #sandbox?: SandboxProcess;
  #modulesOnly: boolean;
  #early?: StartedSandbox;
  #loaded!: Loaded;
  #nondeterministic = false;

  private constructor(configPath: string, projectRoot: string, options: OpenOptions) {
    this.#configUrl = pathToFileURL(configPath).href;
    this.#projectRoot = projectRoot;
    this.#options = options;
    this.#modulesOnly = options.modules !== undefined;
    this.#early = options.started;
  }

  /** Evaluates the config file at `configPath` (absolute) for the project at `projectRoot`. */
  static async open(
    configPath: string,
    projectRoot: string,
    options: OpenOptions = {},
  ): Promise<ConfigSession> {
    const session = new ConfigSession(configPath, projectRoot, options);
    try {
      await session.#widenOnDenial(() => session.#start());
    } finally {
      // Not taken (the start failed before it): ended, never left running.
      if (session.#early) await discardSandbox(session.#early);
    }
    return session;
  }

  /** Starts a sandbox with the current read scope and loads the config in it. */
  async #start(): Promise<void> {
    const root = Deno.realPathSync(this.#projectRoot);
    const unik = UNIK_SOURCES ? [UNIK_SOURCES] : [];
    if (!this.#modulesOnly) await assertNoEscapingLinks(root);
    const read = this.#modulesOnly
      ? readableModules(this.#options.modules!, root)
      : [root, ...(root === this.#projectRoot ? [] : [this.#projectRoot])];
    const processRead = processReadScope(this.#projectRoot);
    if (processRead.some((p) => p.includes(","))) {
      throw new UnikError("io", `the project's path may not contain a comma: ${root}`, {
        hint: "the sandbox's read permission is a comma-separated list: move the project",
      });
    }
    const heapMb = this.#options.heapMb ?? EVAL_HEAP_MB;
    // The early process serves the first start only, and only if started as this one would be.
    const early = this.#early;
    this.#early = undefined;
    const fits = early &&
      JSON.stringify(early.command) ===
        JSON.stringify(sandboxCommand(processRead, heapMb, this.#options.env));
    if (early && !fits) await discardSandbox(early);
    this.#sandbox = new SandboxProcess(
      [...read, ...unik],
      processRead,
      heapMb,
      this.#projectRoot,
      this.#options.output,
      this.#options.env,
      fits ? early.child : undefined,
    );
    this.#sandbox.knownPlugins = new Set((this.#options.plugins ?? []).map((p) => p.entry));
    try {
      this.#loaded = LoadedSchema.parse(
        await this.#ask({
          type: "load",
          configUrl: this.#configUrl,
          projectRootUrl: pathToFileURL(`${this.#projectRoot}/`).href,
          plugins: (this.#options.plugins ?? []).map((p) => ({
            entry: p.entry,
            sources: p.sources,
          })),
        }, LoadedSchema),
      );
    } catch (e) {
      await this.close();
      throw e;
    }
  }

  /**
   * Runs `step`; when the config read a file beyond its modules, starts over with the project
   * readable (a refusal there is final).
   */
  async #widenOnDenial<T>(step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (e) {
      if (!(e instanceof ReadDenied) || !this.#modulesOnly) throw e;
    }
    await this.close();
    this.#modulesOnly = false;
    this.#nondeterministic = false;
    await this.#start();
    return await step();
  }

  /** What the config declares. */
  get loaded(): Loaded {
    return this.#loaded;
  }

  /**
   * Whether what this session computed depends only on the config's local modules and the
   * requests it was sent: it read no other file and used no clock or random numbers.
   */
  get hermetic(): boolean {
    return this.#modulesOnly && !this.#nondeterministic;
  }

  /** The config's URL. */
  get configUrl(): string {
    return this.#configUrl;
  }

  /** Generates the files of a configuration, in memory. */
  async configure(request: ConfigureRequest): Promise<Configured> {
    const evaluation = await this.#widenOnDenial(() =>
      this.#ask({ type: "evaluate", request }, EvaluationSchema)
    );
    return generated(evaluation as Evaluation, request, this.#thirdParty());
  }

  /** Describes the configuration. */
  async describe(
    keys: Record<string, KeyValue>,
    request: ConfigureRequest,
    options: { dot: boolean; eval: boolean },
  ): Promise<{ configured?: Configured; dot?: string }> {
    const described = await this.#widenOnDenial(() =>
      this.#ask({ type: "describe", keys, request, ...options }, DescribedSchema)
    ) as { evaluation?: Evaluation; dot?: string };
    return {
      configured: described.evaluation &&
        generated(described.evaluation, request, this.#thirdParty()),
      dot: described.dot,
    };
  }

  /** The plugins loaded by URL, as unik resolved them: who answers for a bad evaluation. */
  #thirdParty(): LoadedThirdParty[] {
    return (this.#options.plugins ?? []).map((p) => ({
      entry: p.entry,
      modules: Object.keys(p.sources),
    }));
  }

  /** Stops the sandbox. */
  async close(): Promise<void> {
    const sandbox = this.#sandbox;
    this.#sandbox = undefined;
    await sandbox?.close();
  }

  /** Asks the sandbox; returns the reply's value as `schema` parses it. */
  async #ask(
    request: Request,
    schema: { safeParse(v: unknown): { success: boolean; data?: unknown; error?: unknown } },
  ): Promise<unknown> {
    const sandbox = this.#sandbox;
    if (!sandbox) throw new UnikError("internal", "the sandbox is not running");
    const timeoutMs = this.#options.timeoutMs ?? EVAL_TIMEOUT_MS;
    const reply = await sandbox.ask(request, timeoutMs);
    if (reply.type !== "done" && reply.type !== "failed") {
      throw new UnikError("internal", "unexpected sandbox reply");
    }
    if (reply.nondeterministic) this.#nondeterministic = true;
    if (reply.readFiles && this.#modulesOnly) {
      // Refused, or refused and caught so that it went on differently: evaluate it again.
      throw new ReadDenied("config", "the configuration reads files");
    }
    if (reply.type === "failed") throw errorFromData(reply.error as ErrorData);
    const parsed = schema.safeParse(reply.value);
    if (!parsed.success) {
      throw forgedReplyError(
        configError(`the sandbox answered with malformed data: ${issuesOf(parsed.error)}`, {
          hint: "config.ts or a plugin interferes with unik's evaluation: do not use it",
        }),
        this.#thirdParty(),
      );
    }
    return parsed.data;
  }
}

function issuesOf(error: unknown): string {
  const issues = (error as { issues?: { path: PropertyKey[]; message: string }[] }).issues ?? [];
  return stripControl(
    issues.slice(0, 3).map((i) => `${i.path.map(String).join(".")}: ${i.message}`).join("; "),
  );
}

/** The files of an evaluation, checked to be the generated set. */
function generated(
  evaluation: Evaluation,
  request: ConfigureRequest,
  plugins: readonly LoadedThirdParty[],
): Configured {
  const configured = generateConfiguration(evaluation, request, { plugins });
  try {
    checkGeneratedSet(configured, request.configFile);
  } catch (e) {
    throw forgedReplyError(e, plugins);
  }
  return configured;
}
