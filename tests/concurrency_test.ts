/**
 * Two unik processes on one project, a unik killed half-way, and what the next unik finds:
 * the lock is waited for or taken over, and the generated files are fully old or fully new.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { hostname } from "node:os";
import { copyOf, snapshot, tempProject, unik, unikCommand } from "./helpers.ts";
import { processAlive, PROJECT_LOCK } from "../lib/project_lock.ts";
import { JOURNAL, recoverInterruptedWrite } from "../lib/write.ts";

async function deadPid(): Promise<number> {
  const child = new Deno.Command("true").spawn();
  await child.status;
  return child.pid;
}

function lockFile(pid: number, command = "unik build"): string {
  return JSON.stringify({ pid, host: hostname(), command, since: "2026-11-22T00:00:00.000Z" });
}

Deno.test("a second unik waits for the first's lock, then refuses naming it", async () => {
  const dir = await copyOf("tests/fixtures/configs/random");
  await Deno.writeTextFile(join(dir, PROJECT_LOCK), lockFile(Deno.pid));
  const before = await snapshot(dir);
  const r = await unik(dir, ["configure"], { UNIK_LOCK_TIMEOUT_MS: "200" });
  assert.equal(r.code, 7);
  assert.match(r.stderr, /Waiting for unik \(pid \d+, 'unik build'\) to finish/);
  assert.match(
    r.stderr,
    new RegExp(
      `unik \\(pid ${Deno.pid} on .*, 'unik build', since .*\\) is working on this project`,
    ),
  );
  assert.match(r.stderr, /if no unik is running, remove .*\.unik-lock/);
  assert.deepEqual(await snapshot(dir), before);
});

Deno.test("a lock left by a killed unik is taken over", async () => {
  const dir = await copyOf("tests/fixtures/configs/random");
  await Deno.writeTextFile(join(dir, PROJECT_LOCK), lockFile(await deadPid()));
  const r = await unik(dir, ["configure"], { UNIK_LOCK_TIMEOUT_MS: "200" });
  assert.equal(r.code, 0, r.stderr);
  await assert.rejects(Deno.stat(join(dir, PROJECT_LOCK)), "the lock is released");
});

Deno.test("commands that only read do not take the lock", async () => {
  const dir = await copyOf("tests/fixtures/configs/random");
  await Deno.writeTextFile(join(dir, PROJECT_LOCK), lockFile(Deno.pid));
  const r = await unik(dir, ["query", "name"], { UNIK_LOCK_TIMEOUT_MS: "100" });
  assert.equal(r.code, 0, r.stderr);
});

Deno.test("two unik processes configuring one project run one after the other", async () => {
  const dir = await copyOf("tests/fixtures/configs/keys");
  const [a, b] = await Promise.all([
    unikCommand(dir, ["configure", "--fast=true"]).output(),
    unikCommand(dir, ["configure", "--fast=false"]).output(),
  ]);
  assert.ok(a.success, new TextDecoder().decode(a.stderr));
  assert.ok(b.success, new TextDecoder().decode(b.stderr));
  // The files are those of one of the two runs, never a mix: compare with a clean configure.
  const files = await snapshot(dir);
  const fast = JSON.parse(files.get("mirage/context")!).keys.fast;
  const reference = await copyOf("tests/fixtures/configs/keys");
  assert.equal((await unik(reference, ["configure", `--fast=${fast}`])).code, 0);
  assert.deepEqual(files, await snapshot(reference));
});

Deno.test("a write interrupted after staging every file is completed by the next unik", async () => {
  const dir = await tempProject({ "a.txt": "old a\n", "b.txt": "old b\n" });
  const pid = await deadPid();
  const entries = ["a.txt", "b.txt"].map((f) => ({
    path: join(dir, f),
    tmp: join(dir, `.${f}.unik-${pid}.tmp`),
    bak: join(dir, `.${f}.unik-${pid}.bak`),
  }));
  await Deno.writeTextFile(entries[0].tmp, "new a\n");
  await Deno.writeTextFile(entries[1].tmp, "new b\n");
  // Killed after replacing a.txt (its backup kept) and before b.txt.
  await Deno.rename(entries[0].path, entries[0].bak);
  await Deno.rename(entries[0].tmp, entries[0].path);
  await Deno.writeTextFile(join(dir, JOURNAL), JSON.stringify({ pid, phase: "commit", entries }));
  assert.equal(await recoverInterruptedWrite(dir, processAlive), "completed");
  assert.deepEqual(
    Object.fromEntries(await snapshot(dir)),
    { "a.txt": "new a\n", "b.txt": "new b\n" },
  );
});

Deno.test("files staged before a unik was killed are removed by the next one", async () => {
  const pid = await deadPid();
  const staged = `mirage/.main.ml.unik-${pid}.tmp`;
  const dir = await tempProject({ "a.txt": "old\n", [staged]: "half" });
  const entries = [{ path: join(dir, "mirage/main.ml"), tmp: join(dir, staged), bak: "" }];
  await Deno.writeTextFile(join(dir, JOURNAL), JSON.stringify({ pid, phase: "staging", entries }));
  assert.equal(await recoverInterruptedWrite(dir, processAlive), "cleaned");
  assert.deepEqual([...(await snapshot(dir)).keys()], ["a.txt"]);
});

Deno.test("a journal cut short while being written: staged files are found and removed", async () => {
  const pid = await deadPid();
  const dir = await tempProject({
    "a.txt": "old\n",
    [`mirage/.main.ml.unik-${pid}.tmp`]: "half",
    [JOURNAL]: `{"pid":${pid},"phase":"com`,
  });
  assert.equal(await recoverInterruptedWrite(dir, processAlive), "cleaned");
  assert.deepEqual([...(await snapshot(dir)).keys()], ["a.txt"]);
});

Deno.test("no journal: recovery leaves the project as it is", async () => {
  const pid = await deadPid();
  const dir = await tempProject({ "a.txt": "old\n", [`.b.txt.unik-${pid}.tmp`]: "kept" });
  assert.equal(await recoverInterruptedWrite(dir, processAlive), "none");
  assert.equal((await snapshot(dir)).size, 2);
});

Deno.test("SIGKILL during configure leaves the project fully old or fully new", async () => {
  const base = await copyOf("tests/fixtures/configs/keys");
  assert.equal((await unik(base, ["configure", "--fast=false"])).code, 0);
  const old = await snapshot(base);
  const fresh = await copyOf("tests/fixtures/configs/keys");
  assert.equal((await unik(fresh, ["configure", "--fast=false"])).code, 0);
  assert.equal((await unik(fresh, ["configure", "--fast=true"])).code, 0);
  const updated = await snapshot(fresh);
  assert.notDeepEqual(old, updated);
  const outcomes = new Set<string>();
  for (let i = 0; i < 10; i++) {
    const dir = await tempProject(Object.fromEntries(old));
    const child = unikCommand(dir, ["configure", "--fast=true"]).spawn();
    await new Promise((r) => setTimeout(r, Math.random() * 400));
    try {
      child.kill("SIGKILL");
    } catch { /* it had finished */ }
    await child.output();
    await recoverInterruptedWrite(dir, processAlive);
    const now = await snapshot(dir);
    now.delete(PROJECT_LOCK);
    const state = JSON.stringify([...now]) === JSON.stringify([...old])
      ? "old"
      : JSON.stringify([...now]) === JSON.stringify([...updated])
      ? "new"
      : "mixed";
    assert.notEqual(state, "mixed", `killed run ${i} left a mix of old and new files`);
    outcomes.add(state);
  }
});
