// configure's replay cache: an unchanged configure does again what the last one did without
// evaluating config.ts, and anything that could change the result makes it evaluate again.
import assert from "node:assert/strict";
import { join } from "node:path";
import { copyOf, snapshot, tempProject, unik } from "./helpers.ts";
import { sourceFingerprint } from "../lib/replay.ts";

/** A cache directory of its own for each test. */
async function cacheEnv(): Promise<Record<string, string>> {
  return { UNIK_CACHE_DIR: await Deno.makeTempDir({ prefix: "unik-replay-cache-" }) };
}

/**
 * The environment of a configure that cannot evaluate config.ts (the sandbox gets 1 ms): it
 * succeeds only by replaying.
 */
const noEvaluation = (env: Record<string, string>) => ({ ...env, UNIK_EVAL_TIMEOUT_MS: "1" });

/** Configures twice: the first run writes the context, the second reads it and is recorded. */
async function recorded(dir: string, env: Record<string, string>, args: string[] = []) {
  for (let i = 0; i < 2; i++) {
    const r = await unik(dir, ["configure", ...args], env);
    assert.equal(r.code, 0, r.stderr);
  }
}

async function assertEvaluates(dir: string, env: Record<string, string>, args: string[] = []) {
  const r = await unik(dir, ["configure", ...args], noEvaluation(env));
  assert.equal(r.code, 3, `expected an evaluation, got a replay: ${r.stdout}`);
  assert.match(r.stderr, /took more than 1 ms/);
}

Deno.test("an unchanged configure is replayed: same files, same output, no evaluation", async () => {
  const dir = await copyOf("tests/fixtures/configs/keys");
  const env = await cacheEnv();
  await recorded(dir, env, ["--fast=true"]);
  const before = await snapshot(dir);
  const evaluated = await unik(dir, ["configure", "--fast=true", "--fresh"], env);
  const replayed = await unik(dir, ["configure", "--fast=true"], noEvaluation(env));
  assert.equal(replayed.code, 0, replayed.stderr);
  assert.equal(replayed.stdout, evaluated.stdout);
  assert.deepEqual(await snapshot(dir), before);
});

Deno.test("a replay puts back a generated file that was removed", async () => {
  const dir = await copyOf("tests/fixtures/configs/random");
  const env = await cacheEnv();
  await recorded(dir, env);
  const before = await snapshot(dir);
  await Deno.remove(join(dir, "mirage/main.ml"));
  assert.equal((await unik(dir, ["configure"], noEvaluation(env))).code, 0);
  assert.deepEqual(await snapshot(dir), before);
});

Deno.test("an edit to config.ts is evaluated again", async () => {
  const dir = await copyOf("tests/fixtures/configs/random");
  const env = await cacheEnv();
  await recorded(dir, env);
  const config = join(dir, "config.ts");
  await Deno.writeTextFile(
    config,
    (await Deno.readTextFile(config)).replace('register("random"', 'register("edited"'),
  );
  await assertEvaluates(dir, env);
  assert.equal((await unik(dir, ["configure"], env)).code, 0);
  assert.ok((await snapshot(dir)).has("mirage/edited-unix.opam"));
});

Deno.test("an edit to a module that config.ts imports is evaluated again", async () => {
  const dir = await tempProject({
    "config.ts": 'import { register } from "unik";\nimport { jobs } from "./jobs.ts";\n' +
      'export default register("split", jobs);\n',
    "jobs.ts": 'import { main, job } from "unik";\nexport const jobs = [main("A", job)];\n',
  });
  const env = await cacheEnv();
  await recorded(dir, env);
  await Deno.writeTextFile(
    join(dir, "jobs.ts"),
    'import { main, job } from "unik";\nexport const jobs = [main("B", job)];\n',
  );
  await assertEvaluates(dir, env);
  assert.equal((await unik(dir, ["configure"], env)).code, 0);
  assert.match(await Deno.readTextFile(join(dir, "mirage/main.ml")), /B\.start/);
});

Deno.test("another key value on the command line is another configure", async () => {
  const dir = await copyOf("tests/fixtures/configs/keys");
  const env = await cacheEnv();
  await recorded(dir, env, ["--fast=false"]);
  await assertEvaluates(dir, env, ["--fast=true"]);
});

Deno.test("another target in MODE is another configure", async () => {
  const dir = await copyOf("tests/fixtures/configs/random");
  const env = await cacheEnv();
  await recorded(dir, env);
  await assertEvaluates(dir, { ...env, MODE: "hvt" });
});

Deno.test("--fresh evaluates even when nothing changed", async () => {
  const dir = await copyOf("tests/fixtures/configs/random");
  const env = await cacheEnv();
  await recorded(dir, env);
  await assertEvaluates(dir, env, ["--fresh"]);
});

for (
  const [what, expression] of [
    ["the clock", "Date.now()"],
    ["the date", "new Date().getFullYear()"],
    ["random numbers", "Math.random()"],
    ["random UUIDs", "crypto.randomUUID()"],
    ["the high-resolution clock", "performance.now()"],
  ]
) {
  Deno.test(`a config that uses ${what} is never replayed`, async () => {
    const dir = await tempProject({
      "config.ts": 'import { job, main, register } from "unik";\n' +
        `const stamp = String(${expression});\n` +
        'export default register("clocked", [main(stamp ? "Unikernel" : "Other", job)]);\n',
    });
    const env = await cacheEnv();
    await recorded(dir, env);
    await assertEvaluates(dir, env);
  });
}

Deno.test("a config that reads a project file sees its current contents, never a replay", async () => {
  const dir = await tempProject({
    "config.ts": 'import { job, main, register } from "unik";\n' +
      'const name = Deno.readTextFileSync(new URL("./module.txt", import.meta.url)).trim();\n' +
      'export default register("reader", [main(name, job)]);\n',
    "module.txt": "First\n",
  });
  const env = await cacheEnv();
  await recorded(dir, env);
  assert.match(await Deno.readTextFile(join(dir, "mirage/main.ml")), /First\.start/);
  await Deno.writeTextFile(join(dir, "module.txt"), "Second\n");
  assert.equal((await unik(dir, ["configure"], env)).code, 0);
  assert.match(await Deno.readTextFile(join(dir, "mirage/main.ml")), /Second\.start/);
  await assertEvaluates(dir, env);
});

Deno.test("a config reading outside the project is still stopped", async () => {
  const dir = await tempProject({
    "config.ts": 'import { job, main, register } from "unik";\n' +
      'Deno.readTextFileSync("/etc/hostname");\n' +
      'export default register("outside", [main("Unikernel", job)]);\n',
  });
  const r = await unik(dir, ["configure"], await cacheEnv());
  assert.equal(r.code, 3);
  assert.match(r.stderr, /not allowed while evaluating the configuration: .*\/etc\/hostname/);
  assert.equal((await snapshot(dir)).size, 1);
});

/** The one recorded entry of a cache. */
async function entryFile(env: Record<string, string>): Promise<string> {
  const dir = join(env.UNIK_CACHE_DIR, "configure");
  const names = (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name);
  assert.equal(names.length, 1);
  return join(dir, names[0]);
}

Deno.test("a malformed replay entry is ignored: configure evaluates", async () => {
  const dir = await copyOf("tests/fixtures/configs/random");
  const env = await cacheEnv();
  await recorded(dir, env);
  await Deno.writeTextFile(await entryFile(env), '{"format": "unik-replay-2", "files": [');
  await assertEvaluates(dir, env);
  assert.equal((await unik(dir, ["configure"], env)).code, 0);
});

Deno.test("an entry naming a file outside the project is refused: configure evaluates", async () => {
  const dir = await copyOf("tests/fixtures/configs/random");
  const env = await cacheEnv();
  await recorded(dir, env);
  const file = await entryFile(env);
  const entry = JSON.parse(await Deno.readTextFile(file));
  entry.files.push({ path: "../escaped.txt", contents: "owned\n" });
  await Deno.writeTextFile(file, JSON.stringify(entry));
  await assertEvaluates(dir, env);
  await assert.rejects(Deno.stat(join(dir, "../escaped.txt")), Deno.errors.NotFound);
});

Deno.test("a dry run neither replays nor records", async () => {
  const dir = await copyOf("tests/fixtures/configs/random");
  const env = await cacheEnv();
  for (let i = 0; i < 2; i++) {
    assert.equal((await unik(dir, ["configure", "--dry-run"], env)).code, 0);
  }
  await assert.rejects(Deno.stat(join(env.UNIK_CACHE_DIR, "configure")), Deno.errors.NotFound);
});

Deno.test("unik's own sources are part of what a replay depends on", async () => {
  const root = await tempProject({
    "lib/engine.ts": "export const x = 1;\n",
    "plugins/net.ts": "export const y = 1;\n",
    "targets/unix.ts": "export const z = 1;\n",
    "main.ts": "\n",
    "deno.json": "{}\n",
  });
  const url = new URL(`file://${root}/`);
  const before = sourceFingerprint(url);
  assert.equal(sourceFingerprint(url), before);
  await Deno.writeTextFile(join(root, "lib/engine.ts"), "export const x = 22;\n");
  assert.notEqual(sourceFingerprint(url), before);
});

Deno.test("a config that catches a refused read still sees the file, never a replay", async () => {
  const dir = await tempProject({
    "config.ts": 'import { job, main, register } from "unik";\n' +
      'let name = "Fallback";\n' +
      'try { name = Deno.readTextFileSync(new URL("./module.txt", import.meta.url)).trim(); }\n' +
      "catch { /* no file */ }\n" +
      'export default register("careful", [main(name, job)]);\n',
    "module.txt": "FromFile\n",
  });
  const env = await cacheEnv();
  await recorded(dir, env);
  assert.match(await Deno.readTextFile(join(dir, "mirage/main.ml")), /FromFile\.start/);
  await assertEvaluates(dir, env);
});
