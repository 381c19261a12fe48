/**
 * Configure's replay cache. A configure is a function of unik itself, the command line, a few
 * environment variables and the files it read: config.ts and its local modules (the sandbox
 * may read no others, see sandbox/session.ts), the saved context, unik.lock, and what the
 * target probed (the git checkout, the host's bridges). When none of them changed since a
 * successful configure, running it again would write the same files and print the same
 * messages, so unik replays those effects without starting the sandbox: this is what makes an
 * unchanged `unik configure` as quick as mirage's cached config.exe.
 *
 * A config that used the clock or random numbers, or read any other file, is never replayed.
 * Entries live in the cache directory, one per project and command line, and are only an
 * optimisation: one that is missing, unreadable or malformed is ignored.
 * @module
 */

import { notice } from "./cli/output.ts";
import { isAbsolute, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { sha256 } from "./digest.ts";
import { type FileToWrite, replaceFile, writeAll } from "./write.ts";
import type { CliIO } from "./cli/io.ts";

/** What configure did: the files it wrote, those of the previous configuration, what it printed. */
export interface Effects {
  /** Every file configure wrote (the context included), relative to the project root. */
  readonly files: readonly FileToWrite[];
  /** The files of the previous configuration with their recorded hashes (see writeAll). */
  readonly previous: Readonly<Record<string, string>>;
  /** The context file of the set, relative to the project root. */
  readonly context: string;
  /** Its standard output. */
  readonly out: string;
}

/** What an input was: a file's text, or that there was none, or a directory. */
export type InputState =
  | { readonly kind: "file"; readonly text: string }
  | { readonly kind: "absent" }
  | { readonly kind: "directory" };

/** One input of a recorded configure. */
export interface Input {
  /** Absolute path. */
  readonly path: string;
  /** What it was when configure read it. */
  readonly state: InputState;
}

/** A recorded configure. */
export interface ReplayEntry extends Effects {
  /** For a build's configure: what the build steps need of it (checked by their reader). */
  readonly build?: unknown;
  /** Everything it depended on besides its inputs (see replayKey), to rule out collisions. */
  readonly key: string;
  /** What it read. */
  readonly inputs: readonly Input[];
}

const FORMAT = "unik-replay-3";

/**
 * The state of one input now. Synchronous on purpose: a replayed configure does little else,
 * and Deno's synchronous file calls cost a fraction of the asynchronous ones.
 */
export function inputState(path: string): InputState {
  try {
    return { kind: "file", text: Deno.readTextFileSync(path) };
  } catch (e) {
    // A path under a file (mirage/context with mirage a file) does not exist either.
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) {
      return { kind: "absent" };
    }
    if (e instanceof Deno.errors.IsADirectory) return { kind: "directory" };
    throw e;
  }
}

/** The inputs at `paths` as they are now, without repeats. */
export function currentInputs(paths: readonly string[]): Input[] {
  return [...new Set(paths)].map((path) => ({ path, state: inputState(path) }));
}

function sameState(a: InputState, b: InputState): boolean {
  return a.kind === b.kind && (a.kind !== "file" || a.text === (b as typeof a).text);
}

/**
 * unik's own sources when it runs from files (a checkout, an install): their paths, sizes and
 * modification times, so that an edited or updated unik never replays what an older one
 * generated; for a compiled unik, the binary's. Empty when unik runs from URLs (its version then
 * identifies it).
 */
export function sourceFingerprint(unikRoot: URL): string {
  const parts: string[] = [];
  const note = (path: string) => {
    const info = Deno.statSync(path);
    parts.push(`${path} ${info.size} ${info.mtime?.getTime()}`);
  };
  // A compiled unik's sources are embedded in it: the binary itself identifies them.
  if (Deno.build.standalone) note(Deno.execPath());
  if (unikRoot.protocol !== "file:" || Deno.build.standalone) return parts.join("\n");
  const root = fileURLToPath(unikRoot);
  const walk = (dir: string): void => {
    for (const e of Deno.readDirSync(dir)) {
      const path = join(dir, e.name);
      if (e.isDirectory) walk(path);
      else if (/\.(ts|json|yaml)$/.test(e.name)) note(path);
    }
  };
  for (const dir of ["lib", "plugins", "targets"]) walk(join(root, dir));
  note(join(root, "main.ts"));
  // Present in a checkout and a JSR package, not in a copy laid out like either without it.
  if (isFile(join(root, "deno.json"))) note(join(root, "deno.json"));
  return parts.sort().join("\n");
}

/** Whether `path` is a file (node:fs would cost a replay more than the rest of its imports). */
function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** Everything a configure depends on besides the files it reads, as one string. */
export function replayKey(parts: readonly (string | undefined)[]): string {
  return JSON.stringify([FORMAT, ...parts]);
}

async function entryPath(dir: string, key: string): Promise<string> {
  return join(dir, `${await sha256(key)}.json`);
}

function isProjectPath(path: unknown): path is string {
  return typeof path === "string" && path !== "" && !isAbsolute(path) &&
    !normalize(path).startsWith("..");
}

function isInputState(s: unknown): s is InputState {
  const st = s as Record<string, unknown> | null;
  return !!st && (st.kind === "absent" || st.kind === "directory" ||
    st.kind === "file" && typeof st.text === "string");
}

/** Checks the shape of a parsed entry; files must stay inside the project. */
function asEntry(data: unknown): ReplayEntry | undefined {
  const d = data as Record<string, unknown> | null;
  if (!d || d.format !== FORMAT || typeof d.out !== "string" || typeof d.key !== "string") {
    return undefined;
  }
  const { inputs, files } = d;
  const previous = d.previous as Record<string, unknown> | null;
  if (
    !Array.isArray(inputs) || !Array.isArray(files) || !previous || typeof previous !== "object" ||
    !isProjectPath(d.context)
  ) {
    return undefined;
  }
  const inputsOk = inputs.every((i) =>
    typeof i?.path === "string" && isAbsolute(i.path) && isInputState(i.state)
  );
  const filesOk = files.every((f) => isProjectPath(f?.path) && typeof f.contents === "string");
  const previousOk = Object.entries(previous).every(([p, h]) =>
    isProjectPath(p) && typeof h === "string"
  );
  return inputsOk && filesOk && previousOk ? (d as unknown as ReplayEntry) : undefined;
}

/** The entry recorded for `key` in `dir`, if every input it read is as it was then. */
export async function findReplay(dir: string, key: string): Promise<ReplayEntry | undefined> {
  let entry: ReplayEntry | undefined;
  try {
    entry = asEntry(JSON.parse(Deno.readTextFileSync(await entryPath(dir, key))));
    if (!entry || entry.key !== key) return undefined;
    const unchanged = entry.inputs.every((i) => sameState(i.state, inputState(i.path)));
    return unchanged ? entry : undefined;
  } catch {
    return undefined;
  }
}

/** Records `entry` in `dir`. Failing to is not an error: the cache is optional. */
export async function saveReplay(dir: string, entry: ReplayEntry): Promise<void> {
  try {
    await Deno.mkdir(dir, { recursive: true });
    await replaceFile(
      await entryPath(dir, entry.key),
      JSON.stringify({ format: FORMAT, ...entry }),
    );
  } catch { /* the next configure evaluates again */ }
}

/** Does again what the recorded configure did, with the same guarantees (all or nothing). */
export async function applyReplay(root: string, entry: ReplayEntry, io: CliIO): Promise<void> {
  await writeAll(root, entry.files, {
    previous: entry.previous,
    context: entry.context,
    fs: io.fs,
  });
  notice(io, entry.out, "out");
}

/**
 * Collects, during one configure, what its replay entry needs. Configure reports its effects
 * only when it may be replayed (it wrote no new unik.lock, it was not a dry run).
 */
export class ReplayRecorder {
  /** Paths whose presence or contents the configuration depended on, besides its modules. */
  readonly probed: string[] = [];
  /** The inputs read before evaluation, as they were then. */
  inputs: Input[] = [];
  /** Whether the evaluation depended on its modules only. */
  hermetic = false;
  /** What configure did, once it succeeded. */
  effects?: Effects;
  /** For a build: what its steps need of the configuration (see commands/build.ts). */
  build?: unknown;

  /** The entry to save for `key`, if this configure may be replayed. */
  entry(key: string): ReplayEntry | undefined {
    if (!this.effects || !this.hermetic) return undefined;
    return {
      ...this.effects,
      key,
      inputs: [...this.inputs, ...currentInputs(this.probed)],
      ...(this.build === undefined ? {} : { build: this.build }),
    };
  }
}
