/**
 * What configure, query, describe and clean share: the saved context, the effective key
 * values, and the configure request sent to the sandboxed evaluator.
 * @module
 */

import { pathToFileURL } from "node:url";
import { join, relative } from "node:path";
import { type ConfigureRequest, DEFAULT_EXTRA_REPOS } from "../configure.ts";
import type { KeyValue } from "../dsl/key.ts";
import { parseContext, type SavedContext } from "../context.ts";
import { UnikError, usageError } from "../errors.ts";
import { checkNoControl, requireExtraRepos, requireField } from "../validate/mod.ts";
import type { ProjectPaths } from "../cli/project.ts";
import { FILE_OPTION, OUTPUT_OPTION } from "../cli/option_order.ts";
import type { ConfigSession } from "../sandbox/mod.ts";
import { guessSrc } from "../cli/git_src.ts";
import type { Lock } from "../plugins/lock.ts";
import type { ResolvedPlugin } from "../plugins/resolve.ts";
import type { ReplayRecorder } from "../replay.ts";
import { TARGET_NAMES } from "../../targets/mod.ts";

/** Options every configuration command takes. */
export interface CommonOptions {
  /** Key values given on the command line. */
  readonly keys: Readonly<Record<string, KeyValue>>;
  /** `-o`. */
  readonly output?: string;
  /** `--extra-repos`. */
  readonly extraRepos?: string;
  /** `--no-extra-repo`. */
  readonly noExtraRepo?: boolean;
  /** `--no-depext`. */
  readonly noDepext?: boolean;
  /** Environment variables to read (MODE, MIRAGE_DEFAULT_TARGET, MIRAGE_EXTRA_REPOS). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The lock of the plugins config.ts imports by URL, written once configure succeeds. */
  readonly pluginLock?: {
    readonly lock: Lock;
    readonly changed: boolean;
    /** The plugins config.ts imports by URL, as unik resolved them. */
    readonly plugins?: readonly ResolvedPlugin[];
  };
  /** `--allow-build`: third-party plugins whose build contributions are approved for this run. */
  readonly allowBuild?: readonly string[];
  /** Where configure reports what it read and did, to be replayed while nothing changed. */
  readonly recorder?: ReplayRecorder;
  /** The command that runs unik, for the generated files (default `unik`). */
  readonly unikCommand?: readonly string[];
  /**
   * `file`, `output` and the key names in the order the command line first gave them (see
   * lib/cli/option_order.ts): `x-mirage-configure` records them in that order.
   */
  readonly optionOrder?: readonly string[];
}

/** Reads the saved context, if there is one. An explicit `--context-file` must exist. */
export async function readSavedContext(
  paths: ProjectPaths,
  session?: ConfigSession,
): Promise<SavedContext | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(paths.contextPath);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      if (paths.explicitContext) {
        throw usageError(`cannot find the context file ${paths.contextPath}`);
      }
      return undefined;
    }
    if (e instanceof Deno.errors.NotADirectory) {
      const file = fileInTheWay(paths.root, relative(paths.root, paths.contextPath));
      throw new UnikError("io", `${file} is a file, not a directory: unik keeps its files in it`, {
        hint: `move ${file} away (unik writes ${relative(paths.root, paths.contextPath)})`,
      });
    }
    throw new UnikError("io", `cannot read ${paths.contextPath}: ${(e as Error).message}`);
  }
  return parseContext(text, paths.contextPath, session?.loaded.keys ?? [], paths.buildDir);
}

/**
 * A failed configuration that used key values from the saved context says which, with their
 * values and where they came from: the error may well be theirs.
 */
export function savedValuesNoted(
  e: unknown,
  saved: SavedContext | undefined,
  given: Readonly<Record<string, KeyValue>>,
  paths: ProjectPaths,
): unknown {
  if (!(e instanceof UnikError)) return e;
  const savedKeys = saved?.keys ?? {};
  const contextRel = relative(paths.root, paths.contextPath);
  const used = Object.keys(savedKeys).filter((k) => !(k in given)).sort();
  if (used.length === 0) return e;
  const shown = used.map((k) =>
    k === "target"
      ? `-t ${savedKeys[k]}`
      : `--${k}=${
        Array.isArray(savedKeys[k]) ? (savedKeys[k] as string[]).join(",") : savedKeys[k]
      }`
  );
  const note = `saved in ${contextRel} by an earlier configure and used here: ${
    shown.join(" ")
  }; give a key on the command line to override it, or run unik configure to start from the defaults`;
  return new UnikError(e.kind, e.message, {
    pos: e.pos,
    hint: e.hint ? `${e.hint}\n  ${note}` : note,
    cause: e.cause,
  });
}

/** The first directory of `path` (relative to `root`) that is a file instead. */
function fileInTheWay(root: string, path: string): string {
  const parts = path.split("/");
  for (let i = 1; i < parts.length; i++) {
    const dir = parts.slice(0, i).join("/");
    try {
      if (!Deno.statSync(join(root, dir)).isDirectory) return dir;
    } catch { /* look further */ }
  }
  return path;
}

/** The target when none is given: `MODE`, then `MIRAGE_DEFAULT_TARGET` (only unix), else the host's. */
export function defaultTarget(
  env: Readonly<Record<string, string | undefined>>,
  os: string = Deno.build.os,
): string {
  const mode = env.MODE;
  if (mode) {
    if (!TARGET_NAMES.includes(mode)) {
      throw usageError(`environment variable MODE: invalid target '${mode}'`, {
        hint: `valid targets: ${TARGET_NAMES.join(", ")}`,
      });
    }
    return mode;
  }
  const fixed = env.MIRAGE_DEFAULT_TARGET;
  if (fixed !== undefined) {
    if (fixed !== "unix") {
      throw usageError(
        `invalid default target: "${fixed}" (MIRAGE_DEFAULT_TARGET may only be unix)`,
      );
    }
    return fixed;
  }
  return os === "darwin" ? "macosx" : "unix";
}

/** The overlay repositories: `--no-extra-repo`, else `--extra-repos`, `MIRAGE_EXTRA_REPOS`, mirage's. */
export function extraReposOf(options: CommonOptions): readonly (readonly [string, string])[] {
  return options.noExtraRepo
    ? []
    : options.extraRepos !== undefined
    ? parseExtraRepos(options.extraRepos)
    : options.env.MIRAGE_EXTRA_REPOS !== undefined
    ? parseExtraRepos(options.env.MIRAGE_EXTRA_REPOS, "MIRAGE_EXTRA_REPOS")
    : DEFAULT_EXTRA_REPOS;
}

/**
 * Parses `--extra-repos=NAME:URL,...` and checks each name and URL (they reach Makefile
 * recipes and the opam file); `field` says where the text came from, for errors.
 */
export function parseExtraRepos(text: string, field = "--extra-repos"): [string, string][] {
  const repos = text.split(",").filter((s) => s !== "").map((entry): [string, string] => {
    const colon = entry.indexOf(":");
    if (colon <= 0 || colon === entry.length - 1) {
      throw usageError(
        `invalid extra repository argument '${entry}' (expected <name>:<repository>)`,
      );
    }
    return [entry.slice(0, colon), entry.slice(colon + 1)];
  });
  requireExtraRepos(repos, field, "usage");
  return repos;
}

/**
 * The stem of the host's network bridges: the first of xenbr0, br0, virbr0 that exists. Every
 * path it looked at is added to `probed`.
 */
export async function hostBridge(probed: string[] = []): Promise<string> {
  for (const stem of ["xenbr", "br", "virbr"]) {
    try {
      const path = `/sys/class/net/${stem}0`;
      probed.push(path);
      await Deno.stat(path);
      return stem;
    } catch { /* try the next one */ }
  }
  return "br";
}

/** The effective key values and the configure request. */
export interface Prepared {
  /** Explicitly given key values (context, then command line); the target always set. */
  readonly given: Record<string, KeyValue>;
  /** Keys that were given rather than defaulted (for describe). */
  readonly explicit: ReadonlySet<string>;
  /** The request for the evaluator. */
  readonly request: ConfigureRequest;
}

/** The command-line words of a key value (`-t unix`, `--name=value`), checked for control characters. */
function showArg(name: string, v: KeyValue): string[] {
  const text = Array.isArray(v) ? v.join(",") : String(v);
  requireField(`key --${name}: value`, text, checkNoControl, "usage");
  return name === "target" ? ["-t", text] : [`--${name}=${text}`];
}

/**
 * The words of the recorded options (what `x-mirage-configure` replays): those the command line
 * gave in its order, as mirage records the user's arguments; then those it did not give (the
 * defaulted target, remembered keys) in the order they come.
 */
export function recordedArgs(
  options: readonly { readonly name: string; readonly words: readonly string[] }[],
  commandLineOrder: readonly string[],
): string[] {
  const rank = (name: string) => {
    const i = commandLineOrder.indexOf(name);
    return i < 0 ? commandLineOrder.length : i;
  };
  return [...options].sort((a, b) => rank(a.name) - rank(b.name)).flatMap((o) => o.words);
}

/** Builds the configure request of a command. */
export async function prepare(
  paths: ProjectPaths,
  options: CommonOptions,
  saved: SavedContext | undefined,
  autoSrc = true,
): Promise<Prepared> {
  const given: Record<string, KeyValue> = { ...saved?.keys, ...options.keys };
  const explicit = new Set(Object.keys(given));
  if (given.target === undefined || given.target === null) {
    given.target = defaultTarget(options.env);
  }
  const output = options.output ?? saved?.output;
  const repos = extraReposOf(options);
  const argv = recordedArgs(
    [
      ...(paths.configFile === "config.ts"
        ? []
        : [{ name: FILE_OPTION, words: ["-f", paths.configFile] }]),
      ...(output ? [{ name: OUTPUT_OPTION, words: ["-o", output] }] : []),
      ...Object.keys(given).sort().map((k) => ({ name: k, words: showArg(k, given[k]) })),
    ],
    options.optionOrder ?? [],
  );
  return {
    given,
    explicit,
    request: {
      configFile: paths.configFile,
      projectRootUrl: pathToFileURL(`${paths.root}/`).href,
      keys: given,
      output,
      argv,
      extraRepos: repos,
      depext: !options.noDepext,
      autoSrc: autoSrc ? await guessSrc(paths.root, options.recorder?.probed) : undefined,
      bridge: given.target === "xen" ? await hostBridge(options.recorder?.probed) : undefined,
      unikCommand: options.unikCommand,
    },
  };
}
