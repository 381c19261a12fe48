/**
 * Two unik processes on one project, and a lock a killed unik left: the project lock is an OS
 * lock, so a second unik waits for a live holder and never takes over from one, while a lock
 * file whose holder died stops nobody.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { hostname } from "node:os";
import { copyOf, REPO, snapshot, unik, unikCommand } from "./helpers.ts";
import { acquireProjectLock, PROJECT_LOCK } from "../lib/project_lock.ts";
import { unikInvocation } from "../lib/self.ts";

/** In-process runs whose files must equal those of a unik process: they call unik the same way. */
const asProcess = (dir: string, args: string[]) => unik(dir, args, {}, undefined, unikInvocation());

async function deadPid(): Promise<number> {
  const child = new Deno.Command("true").spawn();
  await child.status;
  return child.pid;
}

/** What a killed unik left in .unik-lock: its description (it means nothing by itself). */
function staleLockFile(pid: number, command = "unik build"): string {
  return JSON.stringify({ pid, host: hostname(), command, since: "2026-11-22T00:00:00.000Z" });
}

/** A process holding the project lock of `dir` until it is killed; resolves once it holds it. */
async function lockHolder(dir: string): Promise<Deno.ChildProcess> {
  const script = `import { acquireProjectLock } from ${
    JSON.stringify(join(REPO, "lib/project_lock.ts"))
  };
await acquireProjectLock(Deno.args[0], "unik build");
console.log("held");
setInterval(() => {}, 60_000);`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", script, dir],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.getReader();
  const { value } = await reader.read();
  assert.equal(new TextDecoder().decode(value).trim(), "held");
  reader.releaseLock();
  return child;
}

Deno.test("a second unik waits for the holder of the lock, then refuses naming it", async () => {
  const dir = await copyOf("tests/fixtures/configs/random");
  const holder = await lockHolder(dir);
  try {
    const before = await snapshot(dir);
    const r = await unik(dir, ["configure"], { UNIK_LOCK_TIMEOUT_MS: "200" });
    assert.equal(r.code, 7);
    assert.match(r.stderr, /Waiting for unik \(pid \d+, 'unik build'\) to finish/);
    assert.match(
      r.stderr,
      new RegExp(
        `unik \\(pid ${holder.pid} on .*, 'unik build', since .*\\) is working on this project`,
      ),
    );
    assert.deepEqual(await snapshot(dir), before);
  } finally {
    holder.kill("SIGKILL");
    await holder.status;
  }
});

Deno.test("a lock whose holder was killed is free at once, whatever its file says", async () => {
  const dir = await copyOf("tests/fixtures/configs/random");
  const holder = await lockHolder(dir);
  holder.kill("SIGKILL");
  await holder.status;
  assert.ok((await snapshot(dir)).has(PROJECT_LOCK), "the killed holder left its lock file");
  const r = await unik(dir, ["configure"], { UNIK_LOCK_TIMEOUT_MS: "200" });
  assert.equal(r.code, 0, r.stderr);
  await assert.rejects(Deno.stat(join(dir, PROJECT_LOCK)), "the lock file is removed on release");
});

Deno.test("a lock file naming a live process on this host does not hold the project", async () => {
  // The old lock trusted the pid and host in the file; the OS lock only trusts the kernel.
  const dir = await copyOf("tests/fixtures/configs/random");
  await Deno.writeTextFile(
    join(dir, PROJECT_LOCK),
    JSON.stringify({ pid: Deno.pid, host: "here", command: "unik build", since: "" }),
  );
  const r = await unik(dir, ["configure"], { UNIK_LOCK_TIMEOUT_MS: "200" });
  assert.equal(r.code, 0, r.stderr);
});

Deno.test("a symbolic link at .unik-lock is refused, not written through", async () => {
  const dir = await copyOf("tests/fixtures/configs/random");
  const outside = await Deno.makeTempDir({ prefix: "unik-victim-" });
  await Deno.writeTextFile(join(outside, "victim"), "precious\n");
  await Deno.symlink(join(outside, "victim"), join(dir, PROJECT_LOCK));
  const r = await unik(dir, ["configure"]);
  assert.equal(r.code, 7, r.stderr);
  assert.match(r.stderr, /\.unik-lock is a symbolic link/);
  assert.equal(await Deno.readTextFile(join(outside, "victim")), "precious\n");
});

Deno.test("commands that only read do not take the lock", async () => {
  const dir = await copyOf("tests/fixtures/configs/random");
  const holder = await lockHolder(dir);
  try {
    const r = await unik(dir, ["query", "name"], { UNIK_LOCK_TIMEOUT_MS: "100" });
    assert.equal(r.code, 0, r.stderr);
  } finally {
    holder.kill("SIGKILL");
    await holder.status;
  }
});

Deno.test("processes racing for a stale lock: at most one holds it at any time", async () => {
  const dir = await Deno.makeTempDir({ prefix: "unik-test-" });
  await Deno.writeTextFile(join(dir, PROJECT_LOCK), staleLockFile(await deadPid()));
  const log = join(dir, "holders.log");
  // Each process appends "+" when it has the lock and "-" just before it exits, holding it:
  // every holder dies with the lock, as a killed unik does, and the waiters race for it.
  const script = `import { acquireProjectLock } from ${
    JSON.stringify(join(REPO, "lib/project_lock.ts"))
  };
const [dir, log] = Deno.args;
await acquireProjectLock(dir, "unik configure", { timeoutMs: 60000 });
Deno.writeTextFileSync(log, "+", { append: true });
await new Promise((r) => setTimeout(r, 20));
Deno.writeTextFileSync(log, "-", { append: true });
Deno.exit(0);`;
  const count = 12;
  const children = Array.from(
    { length: count },
    () => new Deno.Command(Deno.execPath(), { args: ["eval", script, dir, log] }).output(),
  );
  for (const out of await Promise.all(children)) {
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
  }
  assert.equal(
    await Deno.readTextFile(log),
    "+-".repeat(count),
    "two processes held the lock at once",
  );
});

Deno.test("many configures started on a stale lock all run, one after the other", async () => {
  const dir = await copyOf("tests/fixtures/configs/keys");
  await Deno.writeTextFile(
    join(dir, PROJECT_LOCK),
    staleLockFile(await deadPid(), "unik configure"),
  );
  const runs = await Promise.all(
    Array.from(
      { length: 5 },
      (_, i) => unikCommand(dir, ["configure", `--fast=${i % 2 === 0}`]).output(),
    ),
  );
  for (const out of runs) assert.ok(out.success, new TextDecoder().decode(out.stderr));
  // The files are those of one of the runs, never a mix: compare with a clean configure.
  const files = await snapshot(dir);
  assert.ok(!files.has(PROJECT_LOCK), "the last holder removed the lock file");
  const fast = JSON.parse(files.get("mirage/context")!).keys.fast;
  const reference = await copyOf("tests/fixtures/configs/keys");
  assert.equal((await asProcess(reference, ["configure", `--fast=${fast}`])).code, 0);
  assert.deepEqual(files, await snapshot(reference));
});

Deno.test("the lock is released when the holder releases it, for the next one at once", async () => {
  const dir = await Deno.makeTempDir({ prefix: "unik-test-" });
  const first = await acquireProjectLock(dir, "unik build");
  first.release();
  const second = await acquireProjectLock(dir, "unik build", { timeoutMs: 0 });
  second.release();
});
