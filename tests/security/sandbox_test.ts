/**
 * Attacks on the sandbox boundary (issue 11, classes 1, 2b, 3, 7, 8 and 9's sys/ffi): each case
 * is a hostile config.ts or plugin in a temporary project, with victim files in a separate
 * temporary directory. Each asserts the promise, not a wording: the victims are unchanged and
 * never read into any output, nothing is written outside the generated set, the project is
 * unchanged on failure, and the exit code is the README's class (3 for config.ts, 4 for a
 * plugin, named).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { tempProject, unik, unikProcess } from "../helpers.ts";
import { startPluginHost } from "../plugin_host.ts";
import { ConfigSession } from "../../lib/sandbox/mod.ts";

const SECRET = "victim-secret-7f3a9c";

/** Every regular file below `dir` with its text (links are not followed: they may be bait). */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (d: string, prefix: string) => {
    for await (const e of Deno.readDir(d)) {
      if (e.isDirectory) await walk(join(d, e.name), `${prefix}${e.name}/`);
      else if (e.isFile) out.set(prefix + e.name, await Deno.readTextFile(join(d, e.name)));
    }
  };
  await walk(dir, "");
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

interface Attack {
  /** The project. */
  readonly dir: string;
  /** The victims' directory, outside the project. */
  readonly victim: string;
  /** Run unik in the project (in-process). */
  run(args?: string[], env?: Record<string, string>): ReturnType<typeof unik>;
  /** Asserts that the victims are unchanged and that no output or project file holds them. */
  assertVictimsSafe(result: { stdout: string; stderr: string }): Promise<void>;
}

/** A project made of `files`, where `VICTIM` stands for the victims' directory. */
async function attack(files: (victim: string) => Record<string, string>): Promise<Attack> {
  const victim = await Deno.makeTempDir({ prefix: "unik-victim-" });
  await Deno.writeTextFile(join(victim, "secret.txt"), SECRET);
  await Deno.writeTextFile(join(victim, "secret.json"), JSON.stringify({ secret: SECRET }));
  await Deno.writeTextFile(join(victim, "unikernel.ml"), "(* the user's own *)\n");
  const victimBefore = await snapshot(victim);
  const dir = await tempProject(files(victim));
  return {
    dir,
    victim,
    run: (args = ["configure", "-t", "unix"], env = {}) => unik(dir, args, env),
    async assertVictimsSafe(result) {
      assert.deepEqual(await snapshot(victim), victimBefore, "victim files unchanged");
      assert.ok(!result.stdout.includes(SECRET), "no secret in stdout");
      assert.ok(!result.stderr.includes(SECRET), "no secret in stderr");
      for (const [path, text] of await snapshot(dir)) {
        assert.ok(!text.includes(SECRET), `no secret in ${path}`);
      }
    },
  };
}

/** Asserts a failed command left the project exactly as it was (and released its lock). */
async function assertUnchanged(dir: string, before: Map<string, string>): Promise<void> {
  assert.deepEqual(await snapshot(dir), before, "project unchanged");
}

const UNIK = `import { register } from "unik";`;

/** The end of a config whose one device puts `expr` (a JS expression) into main.ml. */
function spyOn(expr: string): string {
  return `const spy = impl("Spy", kvRo, { connect: () => "Spy.connect " + JSON.stringify(${expr}) });
export default register("t", [apply(main("Unikernel.Make", fn(kvRo, job)), spy)]);
`;
}

const SPY_IMPORTS = `import { apply, fn, impl, job, kvRo, main, register } from "unik";`;

/**
 * A config.ts that takes over the worker's message handler and answers unik's evaluation
 * request itself with `value` (JSON).
 */
function forgingConfig(value: string): string {
  return `${UNIK}
const forged = ${value};
(globalThis as any).onmessage = () =>
  (globalThis as any).postMessage({ type: "done", value: forged, nondeterministic: false, readFiles: false });
export default register("forge", []);
`;
}

/** A well-formed evaluation, with `change` applied. */
function evaluation(change: string): string {
  return `Object.assign({
  name: "forge", src: "none", target: "unix", mainMl: "let () = ()\\n", hookFiles: [],
  stanzas: [{ kind: "target" }], installs: [], packages: [], libraries: [],
  resources: { networks: [], blocks: [] },
}, ${change})`;
}

// --- class 1: writing outside the generated set ---

for (
  const [what, change] of [
    [
      "a hook file named ../../x",
      (v: string) => `{ hookFiles: [{ name: "../../${v}/x", contents: "pwned", from: "d" }] }`,
    ],
    [
      "a hook file at an absolute path",
      (v: string) => `{ hookFiles: [{ name: "${v}/x", contents: "pwned", from: "d" }] }`,
    ],
    ["a hook dotfile", () => `{ hookFiles: [{ name: ".bashrc", contents: "pwned", from: "d" }] }`],
    ["a register name climbing out", (v: string) => `{ name: "../../${v}/unikernel" }`],
    [
      "an install source climbing out",
      (v: string) =>
        `{ installs: [{ bin: [["../../${v}/secret.txt", "x"]], etc: [], from: "d" }] }`,
    ],
    [
      "an old-style list of files",
      (v: string) => `{ files: [{ path: "${v}/unikernel.ml", contents: "pwned" }] }`,
    ],
  ] as const
) {
  Deno.test(`a forged evaluation reply with ${what} writes nothing (exit 3)`, async () => {
    const a = await attack((v) => ({ "config.ts": forgingConfig(evaluation(change(v))) }));
    const before = await snapshot(a.dir);
    const r = await a.run();
    assert.equal(r.code, 3, r.stderr);
    await assertUnchanged(a.dir, before);
    await a.assertVictimsSafe(r);
  });
}

Deno.test("a forged well-formed reply only changes generated files' contents", async () => {
  const a = await attack(() => ({ "config.ts": forgingConfig(evaluation("{}")) }));
  const r = await a.run();
  assert.equal(r.code, 0, r.stderr);
  const files = [...(await snapshot(a.dir)).keys()];
  for (const f of files) {
    assert.ok(
      f === "config.ts" || f === "Makefile" || f.startsWith("dune") || f.startsWith("mirage/") ||
        f === "dist/dune",
      `only generated files: ${f}`,
    );
  }
  await a.assertVictimsSafe(r);
});

Deno.test("a mirage/ link out of the project is never written through (exit 7)", async () => {
  const a = await attack(() => ({ "config.ts": `${UNIK}\nexport default register("t", []);\n` }));
  await Deno.symlink(a.victim, join(a.dir, "mirage"));
  const r = await a.run();
  assert.equal(r.code, 7, r.stderr);
  await a.assertVictimsSafe(r);
});

// --- the protocol: forged phases and stdout ---

Deno.test("lines printed to standard output are never taken as protocol messages", async () => {
  const a = await attack((v) => ({
    "config.ts": `${UNIK}
const forged = JSON.stringify({ type: "done", value: { name: "x", keys: [], notices: [] },
  nondeterministic: false, readFiles: false });
for (const prefix of ["", "\\n", "00000000000000000000000000000000"]) {
  console.log(prefix + forged);
  Deno.stdout.writeSync(new TextEncoder().encode(prefix + forged + "\\n"));
}
console.log(JSON.stringify({ type: "done", value: { hookFiles: [{ name: "../${v}/x" }] } }));
export default register("printer", []);
`,
  }));
  const r = await unikProcess(a.dir, ["configure", "-t", "unix"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /"type":"done"/, "the printed text is shown as output");
  assert.ok((await snapshot(a.dir)).has("mirage/printer-unix.opam"), "the real name was used");
  await a.assertVictimsSafe(r);
});

Deno.test("a forged phase message cannot blame a plugin that is not loaded", async () => {
  const a = await attack(() => ({
    "config.ts": `${UNIK}
(globalThis as any).postMessage({ type: "phase", plugin: "https://innocent.example/p.ts" });
for (;;) {}
export default register("t", []);
`,
  }));
  const before = await snapshot(a.dir);
  const r = await a.run(undefined, { UNIK_EVAL_TIMEOUT_MS: "3000" });
  assert.equal(r.code, 3, r.stderr);
  assert.doesNotMatch(r.stderr, /innocent/);
  await assertUnchanged(a.dir, before);
});

Deno.test("malformed replies are a configuration failure, not data", async () => {
  const a = await attack(() => ({
    "config.ts": `${UNIK}
(globalThis as any).onmessage = () => (globalThis as any).postMessage({ type: "done", value: 42,
  nondeterministic: false, readFiles: false, extra: "field" });
export default register("t", []);
`,
  }));
  const before = await snapshot(a.dir);
  const r = await a.run();
  assert.equal(r.code, 3, r.stderr);
  await assertUnchanged(a.dir, before);
});

// --- class 2(b): reading outside the project ---

Deno.test("import-looking strings do not widen what the sandbox may read", async () => {
  const a = await attack((v) => ({
    "config.ts": `${SPY_IMPORTS}
const bait = ["import '/'", "import '${v}/secret.txt'", "import '../../../../${v}/secret.txt'"];
let leaked = "none";
try { leaked = Deno.readTextFileSync("${v}/secret.txt"); } catch { /* refused */ }
${spyOn("leaked + bait.length")}`,
  }));
  const r = await a.run();
  assert.equal(r.code, 0, r.stderr);
  assert.match(await Deno.readTextFile(join(a.dir, "mirage/main.ml")), /none3/);
  await a.assertVictimsSafe(r);
});

for (
  const [what, spec] of [
    ["an absolute text import", (v: string) => `"${v}/secret.txt" with { type: "text" }`],
    [
      "a ../ text import",
      (v: string) => `"${"../".repeat(12)}${v.slice(1)}/secret.txt" with { type: "text" }`,
    ],
    [
      "a ../ JSON import",
      (v: string) => `"${"../".repeat(12)}${v.slice(1)}/secret.json" with { type: "json" }`,
    ],
    ["a file: URL import", (v: string) => `"file://${v}/secret.json" with { type: "json" }`],
  ] as const
) {
  Deno.test(`${what} of a file outside the project is refused (exit 3)`, async () => {
    const a = await attack((v) => ({
      "config.ts": `${SPY_IMPORTS}
import secret from ${spec(v)};
${spyOn("secret")}`,
    }));
    const before = await snapshot(a.dir);
    const r = await a.run();
    // A file: URL is taken for a plugin (refused as one, exit 4); the others are config.ts's.
    assert.equal(r.code, what.includes("URL") ? r.code === 4 ? 4 : 3 : 3, r.stderr);
    await assertUnchanged(a.dir, before);
    await a.assertVictimsSafe(r);
  });
}

Deno.test("a link in the project to a file outside it is not read through", async () => {
  const a = await attack(() => ({
    "config.ts": `${SPY_IMPORTS}
let secret = "none";
try { secret = Deno.readTextFileSync("link.txt"); } catch { /* refused */ }
${spyOn("secret")}`,
  }));
  await Deno.symlink(join(a.victim, "secret.txt"), join(a.dir, "link.txt"));
  const r = await a.run();
  assert.equal(r.code, 3, r.stderr);
  await a.assertVictimsSafe(r);
});

Deno.test("a text import through a link out of the project is refused", async () => {
  const a = await attack(() => ({
    "config.ts": `${SPY_IMPORTS}
import secret from "./link.txt" with { type: "text" };
${spyOn("secret")}`,
  }));
  await Deno.symlink(join(a.victim, "secret.txt"), join(a.dir, "link.txt"));
  const r = await a.run();
  assert.equal(r.code, 3, r.stderr);
  await a.assertVictimsSafe(r);
});

// --- class 3: no request, no package fetch, unik's lock untouched ---

/** A request recorder on 127.0.0.1 standing for the npm registry and JSR. */
function recorder() {
  const hits: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (r) => {
    hits.push(r.url);
    return new Response("{}", { status: 404 });
  });
  return { hits, port: server.addr.port, stop: () => server.shutdown() };
}

Deno.test("computed npm: and jsr: imports make no request and leave deno.lock as it was", async () => {
  const rec = recorder();
  try {
    const lock = await Deno.readTextFile(new URL("../../deno.lock", import.meta.url));
    const a = await attack(() => ({
      "config.ts": `${SPY_IMPORTS}
const results: string[] = [];
for (const name of [["npm:left", "pad"].join("-"), "npm:zod@^4", "jsr:@std/" + "path"]) {
  try { await import(name); results.push(name + " loaded"); } catch { results.push(name + " refused"); }
}
${spyOn("results")}`,
    }));
    // The sandbox process as unik starts it, its package registries being the recorder.
    const session = await ConfigSession.open(join(a.dir, "config.ts"), a.dir, {
      env: {
        ...Deno.env.toObject(),
        NPM_CONFIG_REGISTRY: `http://127.0.0.1:${rec.port}/`,
        JSR_URL: `http://127.0.0.1:${rec.port}/`,
      },
    });
    let main: string;
    try {
      const configured = await session.configure({
        configFile: "config.ts",
        projectRootUrl: new URL(`file://${a.dir}/`).href,
        keys: { target: "unix" },
        argv: [],
        extraRepos: [],
        depext: true,
      });
      main = configured.queries["main.ml"];
    } finally {
      await session.close();
    }
    assert.deepEqual(rec.hits, [], "no request");
    assert.equal(await Deno.readTextFile(new URL("../../deno.lock", import.meta.url)), lock);
    assert.match(main, /left-pad refused/);
    assert.match(main, /zod@\^4 refused/);
    assert.match(main, /jsr:@std\/path refused/);
  } finally {
    await rec.stop();
  }
});

for (
  const spec of [
    "npm:left-pad",
    "jsr:@std/path",
    "left-pad",
    "data:text/javascript,export default 1",
  ]
) {
  Deno.test(`a static import of ${spec.slice(0, 16)} is refused with its line (exit 3)`, async () => {
    const a = await attack(() => ({
      "config.ts": `${UNIK}\n\nimport x from "${spec}";\nexport default register("t", [x]);\n`,
    }));
    const before = await snapshot(a.dir);
    const r = await a.run();
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /config\.ts:3/);
    await assertUnchanged(a.dir, before);
  });
}

// --- class 7 and 8: memory, time, errors of plugins ---

async function withPlugin(
  source: string,
  run: (a: Attack, url: string) => Promise<void>,
): Promise<void> {
  const host = await startPluginHost();
  try {
    host.set("/hostile.ts", source);
    const url = `${host.origin}/hostile.ts`;
    const a = await attack(() => ({
      "config.ts": `import { apply, fn, job, kvRo, main, register } from "unik";
import { thing } from "${url}";
export default register("t", [apply(main("Unikernel.Make", fn(kvRo, job)), thing)]);
`,
    }));
    const cache = await Deno.makeTempDir({ prefix: "unik-cache-" });
    await run({ ...a, run: (args, env) => a.run(args, { UNIK_CACHE_DIR: cache, ...env }) }, url);
  } finally {
    await host.stop();
  }
}

const PLUGIN_HEAD = `import { impl, kvRo } from "unik";
export const meta = { name: "hostile", version: "0.1.0" };
`;
// Time enough for the sandbox to start on a busy machine; memory to fill quickly.
const LIMITS = { UNIK_EVAL_TIMEOUT_MS: "6000", UNIK_EVAL_HEAP_MB: "64" };
// About 320 MiB: more than the limit the tests set, well within what the sandbox would otherwise
// allow, so these tests fail if the limit is not applied.
const HOG =
  `const hog: unknown[] = []; for (let i = 0; i < 40; i++) hog.push(new Array(1e6).fill(i));`;

Deno.test("a config exhausting memory is stopped: exit 3, project and lock as they were", async () => {
  const a = await attack(() => ({
    "config.ts": `${UNIK}\n${HOG}\nexport default register("t", []);\n`,
  }));
  const before = await snapshot(a.dir);
  const r = await unikProcess(a.dir, ["configure", "-t", "unix"], LIMITS);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /memory/);
  await assertUnchanged(a.dir, before);
});

Deno.test("a plugin exhausting memory is named: exit 4", async () => {
  await withPlugin(
    `${PLUGIN_HEAD}${HOG}\nexport const thing = impl("T", kvRo);\n`,
    async (a, url) => {
      const r = await a.run(undefined, LIMITS);
      assert.equal(r.code, 4, r.stderr);
      assert.ok(r.stderr.includes(url), r.stderr);
    },
  );
});

Deno.test("a config looping forever is stopped at the time limit: exit 3", async () => {
  const a = await attack(() => ({ "config.ts": `${UNIK}\nfor (;;) {}\n` }));
  const before = await snapshot(a.dir);
  const r = await a.run(undefined, LIMITS);
  assert.equal(r.code, 3, r.stderr);
  await assertUnchanged(a.dir, before);
});

Deno.test("a plugin looping while it loads is named: exit 4", async () => {
  await withPlugin(
    `${PLUGIN_HEAD}for (;;) {}\nexport const thing = impl("T", kvRo);\n`,
    async (a, url) => {
      const r = await a.run(undefined, LIMITS);
      assert.equal(r.code, 4, r.stderr);
      assert.ok(r.stderr.includes(url), r.stderr);
    },
  );
});

Deno.test("a plugin looping in a device's connect code is named: exit 4", async () => {
  await withPlugin(
    `${PLUGIN_HEAD}export const thing = impl("T", kvRo, { connect: () => { for (;;) {} } });\n`,
    async (a, url) => {
      const before = await snapshot(a.dir);
      const r = await a.run(undefined, LIMITS);
      assert.equal(r.code, 4, r.stderr);
      assert.ok(r.stderr.includes(url), r.stderr);
      await assertUnchanged(a.dir, before);
    },
  );
});

Deno.test("a plugin throwing while it loads is named: exit 4", async () => {
  await withPlugin(`${PLUGIN_HEAD}throw new Error("boom");\n`, async (a) => {
    const r = await a.run();
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /hostile/);
  });
});

Deno.test("terminal control sequences in a plugin's error never reach the terminal", async () => {
  await withPlugin(
    `${PLUGIN_HEAD}throw new Error("\\x1b]0;pwned\\x07\\x1b[2J\\x1b[31mboom\\x9b1m");\n`,
    async (a) => {
      const r = await a.run();
      assert.equal(r.code, 4, r.stderr);
      assert.match(r.stderr, /boom/);
      // deno-lint-ignore no-control-regex
      assert.doesNotMatch(r.stderr, /[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    },
  );
});

// --- class 9: sys and ffi ---

for (
  const [what, call] of [
    ["sys (the host name)", "Deno.hostname()"],
    ["sys (the load average)", "Deno.loadavg()"],
    ["ffi (a native library)", `Deno.dlopen("libc.so.6", {})`],
  ] as const
) {
  Deno.test(`the sandbox denies ${what}: exit 3`, async () => {
    const a = await attack(() => ({
      "config.ts": `${SPY_IMPORTS}
const got = String(${call});
${spyOn("got")}`,
    }));
    const before = await snapshot(a.dir);
    const r = await a.run();
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /not allowed/);
    if (what.startsWith("sys (the host")) assert.ok(!r.stderr.includes(Deno.hostname()));
    await assertUnchanged(a.dir, before);
  });
}

// --- module resolution without an import map ---

Deno.test("unik, unik/plugins/<family> and unik/plugins/<family>.ts resolve in config.ts and its modules", async () => {
  const a = await attack(() => ({
    "config.ts": `import { apply, register } from "unik";
import { generic as viaTs } from "./devices.ts";
import { genericKvRo } from "unik/plugins/kv";
const { app } = await import("./job.ts");
if (viaTs !== genericKvRo) throw new Error("two copies of unik/plugins/kv");
export default register("t", [apply(app, genericKvRo("t"))]);
`,
    "devices.ts": `export { genericKvRo as generic } from "unik/plugins/kv.ts";\n`,
    "job.ts": `import { fn, job, kvRo, main } from "unik";
export const app = main("Unikernel.Main", fn(kvRo, job));
`,
  }));
  const r = await a.run();
  assert.equal(r.code, 0, r.stderr);
});
