/**
 * `unik.lock`: the exact content of every plugin a project loads by URL. Each entry is keyed by
 * the plugin's entry URL and records the sha256 of every module of its graph and the graph's
 * integrity (and, once approved, the integrity its build contributions were approved for);
 * configure refuses a plugin whose content no longer matches. The file is JSON with
 * sorted keys so that it diffs well under version control.
 * @module
 */

import { join } from "node:path";
import { z } from "../deps/zod.ts";
import { pluginError, UnikError } from "../errors.ts";
import { type FileSystem, writeAll } from "../write.ts";
import { formatIssues } from "./schema.ts";
import { LOCK_FILE } from "../cli/project.ts";

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, "expected a lower-case hex sha256");

const Integrity = z.string().regex(/^sha256-[0-9a-f]{64}$/, "expected sha256-<hex>");

const LockedPluginSchema = z.strictObject({
  integrity: Integrity,
  /**
   * The integrity for which the user approved the plugin's build contributions (`unik plugin
   * allow`): an approval holds for that exact content only.
   */
  allowBuild: Integrity.optional(),
  modules: z.record(z.url(), Sha256),
  name: z.string().optional(),
  version: z.string().optional(),
  registry: z.string().optional(),
});

const LockSchema = z.strictObject({
  version: z.literal(1),
  plugins: z.record(z.url(), LockedPluginSchema),
});

/** A locked plugin. */
export type LockedPlugin = z.infer<typeof LockedPluginSchema>;

/** The whole lock. */
export type Lock = z.infer<typeof LockSchema>;

/** A lock with nothing in it. */
export function emptyLock(): Lock {
  return { version: 1, plugins: {} };
}

/** Parses the text of a lock file; `file` names it in errors. */
export function parseLock(text: string, file: string): Lock {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw pluginError(`${file} is not valid JSON: ${(e as Error).message}`, {
      hint: `fix it, or delete it and run unik configure to record the plugins again`,
    });
  }
  const parsed = LockSchema.safeParse(json);
  if (!parsed.success) {
    throw pluginError(`${file} is malformed: ${formatIssues(parsed.error.issues)}`, {
      hint: `fix it, or delete it and run unik configure to record the plugins again`,
    });
  }
  return parsed.data;
}

function sortedRecord<V>(r: Readonly<Record<string, V>>): Record<string, V> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0));
}

/** The text of a lock file (sorted keys, trailing newline). */
export function showLock(lock: Lock): string {
  const plugins = Object.fromEntries(
    Object.entries(sortedRecord(lock.plugins)).map((
      [url, p],
    ) => [url, { ...p, modules: sortedRecord(p.modules) }]),
  );
  return JSON.stringify({ version: 1, plugins }, null, 2) + "\n";
}

/** Reads the project's lock; an absent file is an empty lock. */
export async function readLock(root: string): Promise<Lock> {
  const path = join(root, LOCK_FILE);
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return emptyLock();
    throw pluginError(`cannot read ${LOCK_FILE}: ${(e as Error).message}`);
  }
  return parseLock(text, LOCK_FILE);
}

/**
 * Writes the project's lock through the write journal (lib/write.ts), as configure writes it:
 * a unik killed at any point leaves the old lock or the new one once the next unik has
 * started, never a part or a leftover. Unchanged, it is not rewritten. `fs` is the file
 * system of the command (the crash tests' killing one under `UNIK_TEST_KILL_AFTER`).
 */
export async function writeLock(root: string, lock: Lock, fs?: FileSystem): Promise<void> {
  try {
    await writeAll(root, [{ path: LOCK_FILE, contents: showLock(lock) }], {
      ours: [LOCK_FILE],
      fs,
    });
  } catch (e) {
    if (e instanceof UnikError) throw e;
    throw pluginError(`cannot write ${LOCK_FILE}: ${(e as Error).message}`, {
      hint: "check that the project directory is writable",
    });
  }
}

/** Whether two locks record the same plugins. */
export function sameLock(a: Lock, b: Lock): boolean {
  return showLock(a) === showLock(b);
}
