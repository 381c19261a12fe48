/**
 * The sandboxed side of config evaluation, a permission-less Worker inside the sandbox process
 * (see host.ts): imports config.ts (it may read config.ts's local modules or the project, and
 * unik, nothing else), then evaluates what needs device code, and posts it as plain data. unik
 * validates what it posts and generates the files itself (see session.ts).
 * @module
 */

import { configError, errorToData, pluginError, type SourcePos, UnikError } from "../errors.ts";
import { notices } from "../dsl/impl.ts";
import { Registration } from "../register.ts";
import { projectRoot } from "../project.ts";
import { collectKeys } from "../graph/collect.ts";
import { evaluateConfiguration, requestContext } from "../configure.ts";
import { describeDot } from "../describe.ts";
import { frameIn, unaliasText, userFrameOf } from "../dsl/pos.ts";
import type { Impl } from "../dsl/impl.ts";
import type { PluginBundle, Request } from "./protocol.ts";
import { type LoadedPlugin, pluginLabel, pluginOfModule } from "./plugin_owners.ts";
import { importConfig } from "./config_modules.ts";
import { enterPhase } from "./phase.ts";

interface Scope {
  onmessage: ((e: MessageEvent<Request>) => void) | null;
  postMessage(message: unknown): void;
}
const scope = globalThis as unknown as Scope;
// Taken before config.ts runs (it may replace the global one; unik checks every reply anyway).
const postReply = scope.postMessage.bind(scope);

let loaded: {
  registration: Registration;
  root: Impl<"job">;
  configUrl: string;
  plugins: readonly LoadedPlugin[];
} | undefined;

function positionOf(error: unknown, configUrl: string): SourcePos | undefined {
  const inConfig = frameIn(error, configUrl);
  if (inConfig) return inConfig;
  const message = error instanceof Error ? error.message : "";
  const at = message.indexOf(configUrl);
  if (at >= 0) {
    const m = /^:(\d+):(\d+)/.exec(message.slice(at + configUrl.length));
    if (m) return { file: configUrl, line: Number(m[1]), column: Number(m[2]) };
  }
  return userFrameOf(error);
}

/** What a sandbox refusal says the code tried: `read "/etc/passwd"`, `run "touch"`, ... */
function attempted(message: string): string {
  const m = /Requires (\w+) access to ("[^"]*"|\S+?)[,.]/.exec(message);
  if (!m) return message.split("\n")[0];
  const [, access, what] = m;
  const verbs: Record<string, string> = {
    read: "read",
    write: "write",
    run: "run",
    net: "reach",
    env: "read the environment variable",
    import: "import from",
    ffi: "load the native library",
    sys: "read the system information",
  };
  return `${verbs[access] ?? `use ${access} access on`} ${what}`;
}

/**
 * The message of a module that does not parse: Deno reports the parser's error as a TypeError
 * whose message starts with "SyntaxError: " (and the place, which `pos` has).
 */
function parseErrorOf(name: string, firstLine: string): string | undefined {
  const m = /^SyntaxError: (.*)$/.exec(firstLine);
  return name === "TypeError" && m ? `syntax error: ${m[1]}` : undefined;
}

function toUnikError(error: unknown, configUrl: string): UnikError {
  const first = userFrameOf(error);
  const plugin = first && pluginOfModule(first.file);
  const pos = plugin ? first : positionOf(error, configUrl);
  if (error instanceof UnikError) return error.at(pos);
  const name = error instanceof Error ? error.name : "Error";
  const message = unaliasText(error instanceof Error ? error.message : String(error));
  const denied = name === "NotCapable" || name === "PermissionDenied" ||
    /^Requires \w+ access to/.test(message);
  if (denied && plugin) {
    return pluginError(
      `${pluginLabel(plugin)} was stopped: it tried to ${
        attempted(message)
      }, which the sandbox does not allow`,
      {
        pos,
        hint: "plugins may not write files, run programs, read the environment, use the " +
          "network or read outside the project: do not use this plugin",
      },
    );
  }
  if (denied && /^Requires import access/.test(message)) {
    return configError(
      `a module was imported by URL without being verified: ${attempted(message)}`,
      {
        pos,
        hint:
          "import plugins by URL from config.ts itself: unik downloads, verifies and locks them",
      },
    );
  }
  if (denied) {
    return new UnikError("config", `not allowed while evaluating the configuration: ${message}`, {
      pos,
      hint: "config.ts and its plugins may not write files, run programs, read the environment " +
        "or read outside the project",
    });
  }
  const firstLine = message.split("\n")[0];
  const syntax = parseErrorOf(name, firstLine);
  if (plugin) {
    return pluginError(`${pluginLabel(plugin)}: ${syntax ?? `${name}: ${firstLine}`}`, { pos });
  }
  if (syntax) return new UnikError("config", syntax, { pos });
  if (name === "SyntaxError" || name === "TypeError" && /Module not found|import/i.test(message)) {
    return new UnikError("config", firstLine, { pos });
  }
  return new UnikError("config", `${name}: ${firstLine}`, { pos });
}

async function load(configUrl: string, bundles: readonly PluginBundle[]): Promise<unknown> {
  notices.length = 0;
  const { facades, plugins } = bundles.length === 0
    ? { facades: new Map<string, string>(), plugins: [] }
    : await (await import("./plugins.ts")).loadPlugins(bundles);
  enterPhase(null);
  const mod = await importConfig(configUrl, facades);
  const registration = mod.default;
  if (!(registration instanceof Registration)) {
    throw configError("the configuration registers nothing", {
      hint: 'end config.ts with: export default register("name", [jobs])',
    });
  }
  const root = projectRoot(registration);
  loaded = { registration, root, configUrl, plugins };
  const keys = collectKeys(root).map((k) => k.desc);
  return { name: registration.name, keys, notices: [...notices] };
}

/** Refuses a plugin that does not support the chosen target. */
function checkPluginTargets(plugins: readonly LoadedPlugin[], target: unknown): void {
  for (const p of plugins) {
    if (p.meta.targets && typeof target === "string" && !p.meta.targets.includes(target)) {
      throw pluginError(
        `${pluginLabel(p)} does not support the target ${target} (it supports ${
          p.meta.targets.join(", ")
        })`,
        { hint: `configure for one of ${p.meta.targets.join(", ")}, or use another plugin` },
      );
    }
  }
}

function handle(request: Request): Promise<unknown> | unknown {
  if (request.type === "load") return load(request.configUrl, request.plugins);
  if (!loaded) throw new UnikError("internal", "no configuration loaded");
  checkPluginTargets(loaded.plugins, request.request.keys.target);
  if (request.type === "evaluate") {
    return evaluateConfiguration(loaded.registration, loaded.root, request.request);
  }
  const ctx = requestContext(request.keys);
  return {
    evaluation: request.eval
      ? evaluateConfiguration(loaded.registration, loaded.root, request.request)
      : undefined,
    dot: request.dot ? describeDot(loaded.root, ctx, request.eval) : undefined,
  };
}

/** Whether the error is a refused read (which a wider read scope might allow). */
function isReadDenied(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /Requires read access/.test(message);
}

/** Replaces the function `owner[name]` by one that calls `onCall` first. */
function spy<T extends object>(owner: T, name: keyof T & string, onCall: () => void): void {
  const original = owner[name];
  if (typeof original !== "function") return;
  Object.defineProperty(owner, name, {
    ...Object.getOwnPropertyDescriptor(owner, name),
    value: function (this: unknown, ...args: unknown[]) {
      onCall();
      return original.apply(this, args);
    },
  });
}

let nondeterministic = false;
let readFiles = false;

/**
 * Notes any use of the clock or of random numbers by the config or its plugins: what they
 * compute then depends on more than their sources, so it may not be replayed (see
 * lib/replay.ts). unik's own engine uses neither.
 */
function watchNondeterminism(): void {
  const mark = () => {
    nondeterministic = true;
  };
  spy(Math, "random", mark);
  spy(Date, "now", mark);
  spy(performance, "now", mark);
  spy(crypto, "getRandomValues", mark);
  spy(crypto, "randomUUID", mark);
  const RealDate = Date;
  globalThis.Date = new Proxy(RealDate, {
    construct(target, args, newTarget) {
      if (args.length === 0) mark();
      return Reflect.construct(target, args, newTarget);
    },
    apply() {
      mark();
      return RealDate();
    },
  });
}

/**
 * Notes any use of Deno's file-reading calls by the config or its plugins, even one whose
 * refusal they catch: such a config is evaluated again with the project readable (see
 * session.ts), and its result is not replayed. unik's own engine reads no file here.
 */
function watchFileReads(): void {
  const mark = () => {
    readFiles = true;
  };
  for (
    const name of [
      "readFile",
      "readFileSync",
      "readTextFile",
      "readTextFileSync",
      "open",
      "openSync",
      "stat",
      "statSync",
      "lstat",
      "lstatSync",
      "readDir",
      "readDirSync",
      "realPath",
      "realPathSync",
      "readLink",
      "readLinkSync",
      "cwd",
      "watchFs",
    ] as const
  ) spy(Deno, name, mark);
  const originalFetch = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url.startsWith("file:")) mark();
    return originalFetch(input, init);
  };
}

watchNondeterminism();
watchFileReads();

scope.onmessage = async (e: MessageEvent<Request>) => {
  const configUrl = e.data.type === "load" ? e.data.configUrl : loaded?.configUrl ?? "";
  try {
    const value = await handle(e.data);
    enterPhase(null);
    postReply({ type: "done", value, nondeterministic, readFiles });
  } catch (error) {
    enterPhase(null);
    // A refusal from outside the watched calls (an import, say) counts as a read too.
    if (isReadDenied(error)) readFiles = true;
    postReply({
      type: "failed",
      error: errorToData(toUnikError(error, configUrl)),
      nondeterministic,
      readFiles,
    });
  }
};
