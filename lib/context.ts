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

/** Parses a context file's text; `keys` lets mirage's argv format be read and checks values. */
export function parseContext(text: string, path: string, keys: readonly KeyDesc[]): SavedContext {
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
    const isRecord = (x: unknown) => typeof x === "object" && x !== null && !Array.isArray(x);
    if (!isRecord(d) || !isRecord(d.keys) || !isRecord(d.files) || !Array.isArray(d.artifacts)) {
      throw configError(`${path}: malformed context file: expected keys, files and artifacts`, {
        hint: "remove it (unik clean) and configure again",
      });
    }
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
      output: typeof d.output === "string" ? d.output : undefined,
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
