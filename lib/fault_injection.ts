/**
 * Test-only fault injection for the crash tests: with `UNIK_TEST_KILL_AFTER=N` in its
 * environment, unik kills itself with SIGKILL right after the N-th operation that changes the
 * project through its {@link FileSystem} (creating, appending to, renaming, linking or removing
 * a file, creating a directory). Tests stop configure at each step of a write this way and
 * check what the next unik finds. Nothing else sets it; users never need it.
 * @module
 */

import { type FileSystem, realFs } from "./write.ts";

const CHANGES = ["writeText", "append", "rename", "link", "remove", "mkdir"] as const;

/** `base`, killing the process after its `after`-th changing operation (1-based). */
export function killingFs(base: FileSystem, after: number): FileSystem {
  let done = 0;
  const fs: FileSystem = { ...base };
  for (const op of CHANGES) {
    const inner = base[op] as (...args: string[]) => Promise<void>;
    (fs[op] as (...args: string[]) => Promise<void>) = async (...args: string[]) => {
      await inner(...args);
      if (++done === after) Deno.kill(Deno.pid, "SIGKILL");
    };
  }
  return fs;
}

/** The file system the environment asks for: a killing one under the crash tests. */
export function fileSystemFor(env: Readonly<Record<string, string | undefined>>): FileSystem {
  const after = Number(env.UNIK_TEST_KILL_AFTER);
  return Number.isInteger(after) && after > 0 ? killingFs(realFs, after) : realFs;
}
