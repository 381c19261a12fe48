/**
 * One unik at a time per project: commands that write (configure, build, run, clean, and the
 * plugin commands that change unik.lock) hold an exclusive OS lock (`flock`) on `.unik-lock`
 * in the project root. The kernel releases it when its holder exits, however it dies, so there
 * is never a stale lock to take over: a second unik waits for the lock, then refuses with the
 * holder's pid and command, which the holder writes into the file for that purpose only.
 * @module
 */

import { join } from "node:path";
import { hostname } from "node:os";
import { UnikError } from "./errors.ts";

/** The lock file, in the project root. */
export const PROJECT_LOCK = ".unik-lock";

/** What the lock file says about its holder (for messages only: the OS lock decides). */
export interface LockHolder {
  /** Process id. */
  readonly pid: number;
  /** Host name. */
  readonly host: string;
  /** The command line. */
  readonly command: string;
  /** When it was taken (ISO 8601). */
  readonly since: string;
}

/** Options of {@link acquireProjectLock}. */
export interface LockOptions {
  /** How long to wait for another unik (ms); default 10 s. */
  readonly timeoutMs?: number;
  /** Called once when the lock is busy and unik starts waiting. */
  readonly onWait?: (holder: LockHolder | undefined) => void;
}

function readHolder(path: string): LockHolder | undefined {
  try {
    const data = JSON.parse(Deno.readTextFileSync(path));
    return typeof data.pid === "number" ? data as LockHolder : undefined;
  } catch {
    return undefined;
  }
}

/** A held lock: release it when done. */
export interface ProjectLock {
  /** Removes the lock file and releases the lock (idempotent). */
  release(): void;
}

function lockError(e: unknown): UnikError {
  return new UnikError("io", `cannot lock ${PROJECT_LOCK}: ${(e as Error).message}`, {
    hint: "check that the project directory is writable",
  });
}

/**
 * Tries once to take the lock. The file at `path` must still be the one locked afterwards: a
 * holder removes it on release, and a unik that opened it just before holds a lock on a file
 * nobody else will ever open, so it tries again with the new one.
 */
function tryLock(path: string): Deno.FsFile | undefined {
  try {
    if (Deno.lstatSync(path).isSymlink) {
      throw new UnikError(
        "io",
        `${PROJECT_LOCK} is a symbolic link: unik will not write through it`,
        {
          hint: `remove ${path} (no unik uses a link as its lock)`,
        },
      );
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e instanceof UnikError ? e : lockError(e);
  }
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path, { read: true, write: true, create: true });
  } catch (e) {
    throw lockError(e);
  }
  try {
    if (file.tryLockSync(true)) {
      const opened = file.statSync();
      const current = Deno.lstatSync(path);
      if (opened.ino === current.ino && opened.dev === current.dev) return file;
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) {
      file.close();
      throw lockError(e);
    }
  }
  file.close();
  return undefined;
}

/** Takes the project's lock, waiting for another unik if needed. */
export async function acquireProjectLock(
  root: string,
  command: string,
  options: LockOptions = {},
): Promise<ProjectLock> {
  const path = join(root, PROJECT_LOCK);
  const me: LockHolder = {
    pid: Deno.pid,
    host: hostname(),
    command,
    since: new Date().toISOString(),
  };
  const timeout = options.timeoutMs ?? 10_000;
  const deadline = Date.now() + timeout;
  let waited = false;
  let file: Deno.FsFile | undefined;
  for (;;) {
    file = tryLock(path);
    if (file) break;
    const holder = readHolder(path);
    if (Date.now() >= deadline) {
      const who = holder
        ? `unik (pid ${holder.pid} on ${holder.host}, '${holder.command}', since ${holder.since})`
        : "another unik";
      throw new UnikError("io", `${who} is working on this project`, {
        hint: "wait for it to finish and try again",
      });
    }
    if (!waited) options.onWait?.(holder);
    waited = true;
    await new Promise((r) => setTimeout(r, 25));
  }
  const held = file;
  try {
    held.truncateSync(0);
    held.writeSync(new TextEncoder().encode(JSON.stringify(me) + "\n"));
  } catch { /* the holder's description is only for messages */ }
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      // Removed while still locked, so that no one can lock this file after us (see tryLock).
      try {
        Deno.removeSync(path);
      } catch { /* already gone */ }
      held.close();
    },
  };
}
