/**
 * The saved context (`<build dir>/mirage/context`): the key values of the last configure, used
 * as defaults by later commands, and the list of files it generated with their hashes, so that
 * `unik clean` removes exactly those. mirage's own context format (one argument per line) is
 * read too, for projects configured by mirage before.
 * @module
 */

import type { KeyDesc, KeyValue } from "./dsl/key.ts";
import { parseKeyValue } from "./dsl/key.ts";
import { configError } from "./errors.ts";
import { UNIK_VERSION } from "./version.ts";
import { type RememberedBuild, validRemembered } from "./toolchain/remembered.ts";
import {
  isArtifact,
  isGeneratedFile,
  isGeneratedFileOfAnyBuildDir,
  isModuleName,
} from "./project_files.ts";

/** What the context file holds. */
export interface SavedContext {
  /** The unik version that wrote it. */
  readonly unik: string;
  /** Key values given explicitly (command line or earlier context). */
  readonly keys: Readonly<Record<string, KeyValue>>;
  /** The `-o` value. */
  readonly output?: string;
  /** Generated files (relative to the project root) and the sha256 of what was written. */
  readonly files: Readonly<Record<string, string>>;
  /** Build products unik may remove (relative to the project root). */
  readonly artifacts: readonly string[];
  /** Build and run options remembered until overridden (`--offline`, `--duniverse`, tender). */
  readonly build?: RememberedBuild;
}

/** Serialises a context. */
export function showContext(ctx: Omit<SavedContext, "unik">): string {
  return JSON.stringify({ unik: UNIK_VERSION, ...ctx }, null, 2) + "\n";
}

/** Unescapes one line of mirage's context format (OCaml string escapes). */
function unescapeOcaml(line: string): string {
  return line.replace(/\\(x[0-9a-fA-F]{2}|[0-9]{3}|[ntbr\\"' ])/g, (_m, e: string) => {
    if (e[0] === "x") return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-9]/.test(e)) return String.fromCharCode(parseInt(e, 10));
    return { n: "\n", t: "\t", b: "\b", r: "\r" }[e] ?? e;
  });
}

/** Reads key values from an argv list against the known keys (mirage context lines). */
function keysFromArgv(argv: readonly string[], keys: readonly KeyDesc[]): Record<string, KeyValue> {
  const out: Record<string, KeyValue> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const m = /^--?([^=]+)(?:=(.*))?$/.exec(arg);
    if (!m) continue;
    const desc = keys.find((k) => k.name === m[1] || (k.short !== undefined && k.short === m[1]));
    if (!desc) continue;
    let raw = m[2];
    if (raw === undefined && desc.kind === "flag") raw = "true";
    if (raw === undefined) raw = argv[++i] ?? "";
    out[desc.name] = parseKeyValue(desc, raw);
  }
  return out;
}

/** Why a JSON value cannot be the value of a key, or undefined when it can. */
function keyValueProblem(desc: KeyDesc, value: unknown): string | undefined {
  const shown = JSON.stringify(value);
  if (value === null && desc.optional) return undefined;
  switch (desc.kind) {
    case "int":
      return Number.isInteger(value) ? undefined : `(${shown}) is not an integer`;
    case "bool":
    case "flag":
      return typeof value === "boolean" ? undefined : `(${shown}) is not a boolean`;
    case "string":
      return typeof value === "string" ? undefined : `(${shown}) is not a string`;
    case "enum":
      return typeof value === "string" && desc.values?.includes(value)
        ? undefined
        : `(${shown}) is not one of ${desc.values?.join(", ")}`;
    case "list":
      return Array.isArray(value) && value.every((v) => typeof v === "string")
        ? undefined
        : `(${shown}) is not a list of strings`;
  }
}

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" && x !== null && !Array.isArray(x);

/**
 * Whether a file's text is a saved context that unik may replace: unik's (a JSON object with
 * its `unik` version) or mirage's (the argv of `mirage configure`, one word a line).
 */
export function isContextText(text: string): boolean {
  if (text.trimStart().startsWith("{")) {
    try {
      const data = JSON.parse(text);
      return isRecord(data) && typeof data.unik === "string";
    } catch {
      return false;
    }
  }
  return text.split("\n")[0] === "configure";
}

const HASH = /^[0-9a-f]{64}$/;

/**
 * Checks the paths and the output a context names: `unik clean` removes those files and
 * configure replaces them, so each must be one configure generates (or a build product in
 * `dist/`), and the output a module name. Throws naming the file and the entry.
 */
function checkRecordedPaths(d: Partial<SavedContext>, path: string, buildDir?: string): void {
  const generated = (p: string) =>
    buildDir === undefined ? isGeneratedFileOfAnyBuildDir(p) : isGeneratedFile(p, buildDir);
  const bad = (what: string) =>
    configError(`${path}: malformed context file: ${what}`, {
      hint:
        "unik did not write this file as it is: remove it (unik clean keeps it) and configure again",
    });
  for (const [file, digest] of Object.entries(d.files!)) {
    if (!generated(file)) throw bad(`${JSON.stringify(file)} is not a file configure generates`);
    if (typeof digest !== "string" || !HASH.test(digest)) {
      throw bad(`the hash of ${file} is not a sha256`);
    }
  }
  for (const a of d.artifacts!) {
    if (typeof a !== "string" || !isArtifact(a, buildDir ?? dirOfDist(a))) {
      throw bad(`${JSON.stringify(a)} is not a build product in dist/`);
    }
  }
  if (d.output !== undefined && (typeof d.output !== "string" || !isModuleName(d.output))) {
    throw bad(`the saved output ${JSON.stringify(d.output)} is not an OCaml module name`);
  }
}

/** The build directory an artifact path implies (`app/` for `app/dist/x`). */
function dirOfDist(path: string): string {
  const i = path.lastIndexOf("dist/");
  return i < 0 ? "" : path.slice(0, i);
}

/**
 * Parses a context file's text; `keys` lets mirage's argv format be read and checks values,
 * `buildDir` (`""` or ending in `/`) is where the generated files it names must be.
 */
export function parseContext(
  text: string,
  path: string,
  keys: readonly KeyDesc[],
  buildDir?: string,
): SavedContext {
  if (text.trimStart().startsWith("{")) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw configError(`${path}: malformed context file: ${(e as Error).message}`, {
        hint: "remove it (unik clean) and configure again",
      });
    }
    const d = data as Partial<SavedContext>;
    if (!isRecord(d) || !isRecord(d.keys) || !isRecord(d.files) || !Array.isArray(d.artifacts)) {
      throw configError(`${path}: malformed context file: expected keys, files and artifacts`, {
        hint: "remove it (unik clean) and configure again",
      });
    }
    checkRecordedPaths(d, path, buildDir);
    for (const [name, value] of Object.entries(d.keys!)) {
      const desc = keys.find((k) => k.name === name);
      const problem = desc && keyValueProblem(desc, value);
      if (problem) {
        throw configError(`${path}: the saved value of key ${name} ${problem}`, {
          hint: `give --${name}=VALUE on the command line, or remove the file (unik clean)`,
        });
      }
    }
    return {
      unik: String(d.unik ?? ""),
      keys: d.keys!,
      output: d.output,
      files: d.files!,
      artifacts: d.artifacts!.map(String),
      ...(d.build === undefined ? {} : { build: validRemembered(d.build, path) }),
    };
  }
  const argv = text.split("\n").filter((l) => l !== "").map(unescapeOcaml);
  try {
    return { unik: "", keys: keysFromArgv(argv, keys), files: {}, artifacts: [] };
  } catch (e) {
    throw configError(`${path}: ${(e as Error).message}`);
  }
}
