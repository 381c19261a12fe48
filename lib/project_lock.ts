/**
 * One unik at a time per project: commands that write (configure, build, run, clean, and the
 * plugin commands that change unik.lock) hold `.unik-lock` in the project root. A second unik
 * waits for it, then refuses with the holder's pid and command; a lock whose process is gone
 * (killed, crashed) is taken over.
 * @module
 */

import { join } from "node:path";
import { hostname } from "node:os";
import { UnikError } from "./errors.ts";

/** The lock file, in the project root. */
export const PROJECT_LOCK = ".unik-lock";

/** What the lock file records about its holder. */
export interface LockHolder {
  /** Process id. */
  readonly pid: number;
  /** Host name (a pid means nothing on another machine sharing the directory). */
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
  readonly onWait?: (holder: LockHolder) => void;
}

/** Whether a process is alive on this host. */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) return true;
    if (Deno.build.os === "linux") return false;
  }
  try {
    // SIGURG is ignored by default: sending it only asks whether the process exists.
    Deno.kill(pid, "SIGURG");
    return true;
  } catch (e) {
    return !(e instanceof Deno.errors.NotFound) && !/ESRCH|No such process/.test(String(e));
  }
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
  /** Removes the lock file (idempotent). */
  release(): void;
}

function tryCreate(path: string, holder: LockHolder): boolean {
  try {
    const file = Deno.openSync(path, { write: true, createNew: true });
    try {
      file.writeSync(new TextEncoder().encode(JSON.stringify(holder) + "\n"));
    } finally {
      file.close();
    }
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.AlreadyExists) return false;
    throw new UnikError("io", `cannot create ${PROJECT_LOCK}: ${(e as Error).message}`, {
      hint: "check that the project directory is writable",
    });
  }
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
  for (;;) {
    if (tryCreate(path, me)) break;
    const holder = readHolder(path);
    const stale = holder
      ? holder.host === me.host && !processAlive(holder.pid)
      : ageMs(path) > 2_000; // unreadable: a holder killed while writing it
    if (stale) {
      // Take over a dead holder's lock: rename is atomic, so two takers cannot both win.
      const claim = `${path}.${Deno.pid}.stale`;
      try {
        Deno.renameSync(path, claim);
        Deno.removeSync(claim);
      } catch { /* someone else took it over first */ }
      continue;
    }
    if (Date.now() >= deadline) {
      const who = holder
        ? `unik (pid ${holder.pid} on ${holder.host}, '${holder.command}', since ${holder.since})`
        : "another unik";
      throw new UnikError("io", `${who} is working on this project`, {
        hint: `wait for it to finish and try again; if no unik is running, remove ${
          join(root, PROJECT_LOCK)
        }`,
      });
    }
    if (!waited && holder) options.onWait?.(holder);
    waited = true;
    await new Promise((r) => setTimeout(r, 50));
  }
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      const holder = readHolder(path);
      if (holder?.pid === me.pid && holder.host === me.host) {
        try {
          Deno.removeSync(path);
        } catch { /* already gone */ }
      }
    },
  };
}

function ageMs(path: string): number {
  try {
    const m = Deno.statSync(path).mtime;
    return m ? Date.now() - m.getTime() : Infinity;
  } catch {
    return 0;
  }
}
