/**
 * Crash safety of a write (issue 11, class 9): configure killed with SIGKILL after each step of
 * its write (each staged file, each rename, each removal of a stale file, each journal record),
 * through the test-only UNIK_TEST_KILL_AFTER hook (lib/fault_injection.ts), and writes whose
 * renames fail. Whatever happens, once the next unik has started the project holds the old
 * files or the new ones, never a mix, and nothing is left over; readers never see a mix.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { copyOf, snapshot, tempProject, unik, unikCommand } from "../helpers.ts";
import { unikInvocation } from "../../lib/self.ts";
import { acquireProjectLock } from "../../lib/project_lock.ts";
import { startPluginHost } from "../plugin_host.ts";
import { type FileSystem, JOURNAL, realFs, recoverInterruptedWrite } from "../../lib/write.ts";

type Files = Map<string, string>;

/** What the next unik does first: take the lock, recover, and let go (removing the lock). */
async function nextUnikStarts(dir: string): Promise<void> {
  const lock = await acquireProjectLock(dir, "unik test", { timeoutMs: 5000 });
  try {
    await recoverInterruptedWrite(dir);
  } finally {
    lock.release();
  }
}

function same(a: Files, b: Files): boolean {
  return JSON.stringify([...a]) === JSON.stringify([...b]);
}

/**
 * The project after `args` ran to completion from `old`; its generated files call unik as
 * `unikCommand` (a unik process: `unikInvocation()`).
 */
async function outcome(
  old: Files,
  args: string[],
  unikCommand: readonly string[] = ["unik"],
): Promise<Files> {
  const dir = await tempProject(Object.fromEntries(old));
  const cache = await Deno.makeTempDir({ prefix: "unik-cache-" });
  const r = await unik(dir, args, { UNIK_CACHE_DIR: cache, HOME: cache }, undefined, unikCommand);
  assert.equal(r.code, 0, r.stderr);
  return await snapshot(dir);
}

/** Whether the journal of `dir` has reached its commit record. */
async function committed(dir: string): Promise<boolean> {
  const text = await Deno.readTextFile(join(dir, JOURNAL)).catch(() => "");
  return text.split("\n").slice(1, -1).includes("commit");
}

/** Empties `dir` and fills it with `files`. */
async function reset(dir: string, files: Files): Promise<void> {
  for await (const e of Deno.readDir(dir)) {
    await Deno.remove(join(dir, e.name), { recursive: true });
  }
  for (const [path, text] of files) {
    await Deno.mkdir(join(dir, path, ".."), { recursive: true });
    await Deno.writeTextFile(join(dir, path), text);
  }
}

/**
 * Kills `unik args` (run on a copy of `old`) after its 1st, 2nd, ... file operation until it
 * completes; after each kill, checks what the next unik finds. `reader`, when given, runs
 * first after kills inside a committed write, and must see (and leave) the new state. With
 * `replayed`, each project directory is configured once first, so that the killed runs replay
 * that configure (the same write, without evaluating config.ts again: quicker).
 */
async function killAtEveryStep(
  old: Files,
  args: string[],
  options: { reader?: (dir: string, n: number) => Promise<void>; replayed?: boolean } = {},
): Promise<{ killed: number; outcomes: Set<string> }> {
  // What the killed unik processes would have written.
  const fresh = await outcome(old, args, unikInvocation());
  assert.ok(!same(old, fresh), "the command must change the project");
  const outcomes = new Set<string>();
  // A few kills at a time, each in a project directory of its own.
  const slots = await Promise.all([1, 2, 3, 4].map(async () => {
    const dir = await Deno.makeTempDir({ prefix: "unik-test-" });
    if (options.replayed) {
      await reset(dir, old);
      assert.ok((await unikCommand(dir, args).output()).success);
    }
    return dir;
  }));
  const kill = async (dir: string, n: number) => {
    await reset(dir, old);
    const out = await unikCommand(dir, args, { UNIK_TEST_KILL_AFTER: String(n) }).output();
    return { n, dir, out };
  };
  for (let first = 1;; first += slots.length) {
    assert.ok(first < 200, "the write never completed");
    const runs = await Promise.all(slots.map((dir, i) => kill(dir, first + i)));
    for (const { n, dir, out } of runs) {
      if (out.signal !== "SIGKILL") {
        assert.ok(out.success, new TextDecoder().decode(out.stderr));
        assert.ok(same(await snapshot(dir), fresh));
        return { killed: n - 1, outcomes };
      }
      if (options.reader && await committed(dir)) {
        await options.reader(dir, n);
        assert.ok(same(await snapshot(dir), fresh), `killed after step ${n}: a reader left a mix`);
      }
      await nextUnikStarts(dir);
      const now = await snapshot(dir);
      const state = same(now, old) ? "old" : same(now, fresh) ? "new" : "mixed";
      assert.notEqual(
        state,
        "mixed",
        `killed after step ${n}, the project is neither old nor new: ${[...now.keys()].join(" ")}`,
      );
      outcomes.add(state);
    }
  }
}

Deno.test("configure killed at every step of a reconfigure: old or new, stale files included", async () => {
  const base = await copyOf("tests/fixtures/configs/noop");
  assert.equal((await unik(base, ["configure", "-o", "first"])).code, 0);
  const old = await snapshot(base);
  const { killed, outcomes } = await killAtEveryStep(
    old,
    ["configure", "-o", "second"],
    {
      replayed: true,
      reader: async (dir, n) => {
        // A reader after a kill inside a committed write sees the new configuration.
        if (n % 2 === 0) {
          const r = await unik(dir, ["describe"]);
          assert.equal(r.code, 0, r.stderr);
          assert.match(r.stdout, /Output\s+second/);
        } else {
          const r = await unik(dir, ["query", "files"]);
          assert.equal(r.code, 0, r.stderr);
          assert.equal(r.stdout, "second.ml\n");
        }
      },
    },
  );
  assert.ok(killed >= 20, `only ${killed} steps`);
  assert.deepEqual([...outcomes].sort(), ["new", "old"]);
});

Deno.test("configure killed at every step of a first configure with a URL plugin: its unik.lock too", async () => {
  // The plugin is served on 127.0.0.1; the lock configure writes is part of the same step.
  const host = await startPluginHost();
  try {
    const old = new Map([[
      "config.ts",
      `import { apply, fn, job, main, register } from "unik";
import { acmeLed, led } from "${host.origin}/acme/led.ts";
export default register("blinky", [apply(main("Unikernel.Main", fn(led, job)), acmeLed())]);
`,
    ]]);
    const { killed, outcomes } = await killAtEveryStep(old, ["configure"]);
    assert.ok(killed >= 15, `only ${killed} steps`);
    assert.deepEqual([...outcomes].sort(), ["new", "old"]);
  } finally {
    await host.stop();
  }
});

/** The real file system, whose renames fail from the `after`-th on (0-based), for good. */
function renamesFailing(after: number): FileSystem {
  let calls = 0;
  return {
    ...realFs,
    rename: (from, to) => {
      if (calls++ >= after) {
        return Promise.reject(
          new Deno.errors.PermissionDenied("Operation not permitted (os error 1)"),
        );
      }
      return realFs.rename(from, to);
    },
  };
}

async function reconfigurable(): Promise<{ dir: string; old: Files }> {
  const dir = await copyOf("tests/fixtures/configs/keys");
  assert.equal((await unik(dir, ["configure", "--fast=false"])).code, 0);
  return { dir, old: await snapshot(dir) };
}

Deno.test("a rename failing in the middle of a write: the backups are restored", async () => {
  const { dir, old } = await reconfigurable();
  // Rename 0 puts the journal in place; 1 and 2 replace files; 3 fails; restoring works.
  let calls = 0;
  const fs: FileSystem = {
    ...realFs,
    rename: (from, to) =>
      calls++ === 3
        ? Promise.reject(new Error("Input/output error (os error 5)"))
        : realFs.rename(from, to),
  };
  const r = await unik(dir, ["configure", "--fast=true"], {}, fs);
  assert.equal(r.code, 7, r.stderr);
  assert.match(r.stderr, /nothing was changed/);
  assert.ok(same(await snapshot(dir), old), "the project is as it was");
});

Deno.test("renames failing for good: the project is reported half-written and restored next time", async () => {
  const { dir, old } = await reconfigurable();
  const r = await unik(dir, ["configure", "--fast=true"], {}, renamesFailing(2));
  assert.equal(r.code, 7);
  assert.doesNotMatch(r.stderr, /nothing was changed/);
  assert.match(r.stderr, /restoring the previous files failed too .*half-written.*\.unik-journal/);
  const now = await snapshot(dir);
  for (const f of old.keys()) assert.ok(now.has(f), `${f} is missing`);
  assert.ok(now.has(JOURNAL), "the journal is kept to restore from");
  const next = await unik(dir, ["configure", "--fast=false"]);
  assert.equal(next.code, 0, next.stderr);
  assert.match(next.stderr, /Restored the files an interrupted unik was replacing/);
  assert.ok(same(await snapshot(dir), old));
});

Deno.test("a rollback that cannot be recorded leaves the write to be completed", async () => {
  const { dir } = await reconfigurable();
  const fresh = await outcome(await snapshot(dir), ["configure", "--fast=true"]);
  let renames = 0;
  const fs: FileSystem = {
    ...realFs,
    rename: (from, to) =>
      renames++ === 2
        ? Promise.reject(new Error("Input/output error (os error 5)"))
        : realFs.rename(from, to),
    append: (path, text) =>
      text === "rollback\n"
        ? Promise.reject(new Error("No space left on device (os error 28)"))
        : realFs.append(path, text),
  };
  const r = await unik(dir, ["configure", "--fast=true"], {}, fs);
  assert.equal(r.code, 7);
  assert.match(r.stderr, /half-written.*run unik again, which completes the write/s);
  const next = await unik(dir, ["configure", "--fast=true"]);
  assert.equal(next.code, 0, next.stderr);
  assert.match(next.stderr, /Completed the files an interrupted unik was writing/);
  assert.ok(same(await snapshot(dir), fresh));
});

Deno.test("a recovery that fails keeps the journal and says so", async () => {
  const { dir, old } = await reconfigurable();
  await unik(dir, ["configure", "--fast=true"], {}, renamesFailing(2));
  const r = await unik(dir, ["configure", "--fast=false"], {}, renamesFailing(0));
  assert.equal(r.code, 7);
  assert.match(r.stderr, /cannot undo the write an interrupted unik left \(\.unik-journal\)/);
  assert.ok((await snapshot(dir)).has(JOURNAL));
  assert.equal((await unik(dir, ["configure", "--fast=false"])).code, 0);
  assert.ok(same(await snapshot(dir), old));
});

Deno.test("a plan left under its temporary name is removed: nothing else was done", async () => {
  const dir = await tempProject({ "a.txt": "a\n", [`${JOURNAL}.tmp`]: '{"format":"unik-jour' });
  assert.equal(await recoverInterruptedWrite(dir), "none");
  assert.deepEqual([...(await snapshot(dir)).keys()], ["a.txt"]);
});

Deno.test("no journal: recovery leaves the project as it is", async () => {
  const dir = await tempProject({ "a.txt": "old\n", ".b.txt.unik-7.tmp": "kept" });
  assert.equal(await recoverInterruptedWrite(dir), "none");
  assert.equal((await snapshot(dir)).size, 2);
});

Deno.test("a whole-file replacement killed before its rename leaves nothing the next unik keeps", async () => {
  const dir = await copyOf("tests/fixtures/configs/noop");
  assert.equal((await unik(dir, ["configure"])).code, 0);
  const clean = await snapshot(dir);
  await Deno.writeTextFile(join(dir, "unik.lock.tmp-4242"), '{"lockfile": "half');
  await Deno.writeTextFile(join(dir, "mirage/context.tmp-4242"), '{"unik": "half');
  await Deno.writeTextFile(join(dir, "mirage/.unik-build.json.tmp-4242"), "{");
  assert.equal((await unik(dir, ["configure"])).code, 0);
  assert.ok(same(await snapshot(dir), clean));
});

/**
 * A project configured with a URL plugin `acme/led.ts` served by `host` (its unik.lock holds
 * the plugin), as files.
 */
async function projectWithLockedPlugin(host: { origin: string }): Promise<Files> {
  const dir = await tempProject({
    "config.ts": `import { apply, fn, job, main, register } from "unik";
import { acmeLed, led } from "${host.origin}/acme/led.ts";
export default register("blinky", [apply(main("Unikernel.Main", fn(led, job)), acmeLed())]);
`,
  });
  const r = await unik(dir, ["configure"]);
  assert.equal(r.code, 0, r.stderr);
  return await snapshot(dir);
}

for (
  const [subcommand, change] of [
    ["remove", undefined],
    ["allow", undefined],
    ["update", "// a new release\n"],
  ] as const
) {
  Deno.test(`plugin ${subcommand} killed at every step of its unik.lock write: old or new`, async () => {
    const host = await startPluginHost();
    try {
      const old = await projectWithLockedPlugin(host);
      const url = `${host.origin}/acme/led.ts`;
      if (change) {
        const served = await (await fetch(url)).text();
        host.set("/acme/led.ts", served + change);
      }
      // Through the journal, the lock's write is several steps, each one a kill point; a
      // lock replaced outside the journal would not be killed at all (no step of its own).
      const { killed, outcomes } = await killAtEveryStep(old, ["plugin", subcommand, url]);
      assert.ok(killed >= 4, `only ${killed} steps`);
      assert.deepEqual([...outcomes].sort(), ["new", "old"]);
    } finally {
      await host.stop();
    }
  });
}

Deno.test("plugin add killed at every step of its unik.lock write: old or new", async () => {
  const host = await startPluginHost();
  try {
    const configured = await projectWithLockedPlugin(host);
    const url = `${host.origin}/acme/led.ts`;
    const integrity = JSON.parse(configured.get("unik.lock")!).plugins[url].integrity;
    host.set(
      "/index.yaml",
      `registry: 1
name: acme
plugins:
  - name: acme-led
    description: "A status LED"
    versions:
      - version: 1.2.0
        url: ${url}
        sha256: "${integrity}"
`,
    );
    // Before the add: config.ts and the registry it names, no unik.lock.
    const old = new Map([
      ["config.ts", configured.get("config.ts")!],
      ["unik.yaml", `registries:\n  - ${host.origin}/index.yaml\n`],
    ]);
    const { killed, outcomes } = await killAtEveryStep(old, ["plugin", "add", "acme-led"]);
    assert.ok(killed >= 3, `only ${killed} steps`);
    assert.deepEqual([...outcomes].sort(), ["new", "old"]);
  } finally {
    await host.stop();
  }
});
