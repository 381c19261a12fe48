// unik as it is shipped: the files `deno publish` would upload (which `deno compile` embeds too),
// laid out outside the checkout with no deno.json, run with --no-config and a fresh HOME, as a
// JSR install or the compiled binary runs. (`deno compile` itself needs a runtime download this
// machine cannot make: these tests run the binary's code paths from the same files instead.)
// DENO_DIR keeps pointing at this machine's cache, so nothing is downloaded.
import assert from "node:assert/strict";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { REPO, snapshot, unik } from "./helpers.ts";
import { jsrImports, PLUGIN_FAMILIES } from "../lib/sources.ts";

const dec = new TextDecoder();
const DENO_JSON = JSON.parse(await Deno.readTextFile(join(REPO, "deno.json")));

async function denoOutput(args: string[], cwd = REPO): Promise<Deno.CommandOutput> {
  return await new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
}

/** The files `deno publish` would upload, relative to the repository, from its dry run. */
async function dryRunFiles(): Promise<string[]> {
  const out = await denoOutput(["publish", "--dry-run", "--allow-dirty"]);
  const text = dec.decode(out.stdout) + dec.decode(out.stderr);
  assert.ok(out.success, text);
  return [...text.matchAll(/^\s+(file:\/\/\S+) \(/gm)].map((m) =>
    relative(REPO, fileURLToPath(m[1]))
  );
}

let published: Promise<string[]> | undefined;
const publishedFiles = () => (published ??= dryRunFiles());

/** The shipped package, laid out in a temporary directory without its deno.json. */
async function shippedCopy(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "unik-shipped-" });
  for (const file of await publishedFiles()) {
    if (file === "deno.json") continue;
    await Deno.mkdir(dirname(join(dir, file)), { recursive: true });
    await Deno.copyFile(join(REPO, file), join(dir, file));
  }
  return dir;
}

let shipped: Promise<string> | undefined;
const pkg = () => (shipped ??= shippedCopy());

const denoDir = JSON.parse(dec.decode((await denoOutput(["info", "--json"])).stdout)).denoDir;

/** The shipped unik, run as a process in `cwd` with a fresh HOME and no configuration. */
async function shippedUnik(cwd: string, args: string[]) {
  const main = join(await pkg(), "main.ts");
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", "--unstable-worker-options", "--no-config", main, ...args],
    cwd,
    clearEnv: true,
    env: {
      NO_COLOR: "1",
      HOME: await Deno.makeTempDir({ prefix: "unik-shipped-home-" }),
      DENO_DIR: denoDir,
      PATH: "/usr/bin:/bin",
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr), main };
}

/** A copy of examples/NAME outside the checkout. */
async function exampleCopy(name: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: `unik-shipped-${name}-` });
  for await (const e of Deno.readDir(join(REPO, "examples", name))) {
    if (e.isFile) await Deno.copyFile(join(REPO, "examples", name, e.name), join(dir, e.name));
  }
  return dir;
}

Deno.test("the shipped package holds unik's sources, the registry and the license, and no tests", async () => {
  const files = await publishedFiles();
  for (const f of ["LICENSE", "README.md", "main.ts", "lib/mod.ts", "registry/index.yaml"]) {
    assert.ok(files.includes(f), f);
  }
  for (const family of PLUGIN_FAMILIES) assert.ok(files.includes(`plugins/${family}.ts`), family);
  assert.deepEqual(files.filter((f) => /^(tests|examples|scripts|\.ci)\//.test(f)), []);
});

Deno.test("deno.json exports . and every ./plugins/<family>, and maps unik/plugins/<family> for the checkout", async () => {
  const families = [];
  for await (const e of Deno.readDir(join(REPO, "plugins"))) families.push(e.name.slice(0, -3));
  assert.deepEqual(families.sort(), [...PLUGIN_FAMILIES].sort());
  const expected: Record<string, string> = { ".": "./lib/mod.ts" };
  for (const f of PLUGIN_FAMILIES) expected[`./plugins/${f}`] = `./plugins/${f}.ts`;
  assert.deepEqual(DENO_JSON.exports, expected);
  for (const f of PLUGIN_FAMILIES) {
    assert.equal(DENO_JSON.imports[`unik/plugins/${f}`], `./plugins/${f}.ts`, f);
  }
});

Deno.test("the editor imports of a unik run from JSR name only what the package exports", () => {
  const pkg = `jsr:@unik/unik@${DENO_JSON.version}`;
  const imports = jsrImports(DENO_JSON.version);
  assert.equal(imports.unik, pkg);
  for (const [specifier, target] of Object.entries(imports)) {
    assert.ok(target.startsWith(pkg), specifier);
    const subpath = `.${target.slice(pkg.length)}`;
    assert.ok(subpath in DENO_JSON.exports, `${specifier} -> ${target}`);
  }
  for (const f of PLUGIN_FAMILIES) {
    assert.equal(imports[`unik/plugins/${f}`], imports[`unik/plugins/${f}.ts`], f);
  }
});

Deno.test("deno task compile embeds every file unik loads by URL at run time", async () => {
  const task: string = DENO_JSON.tasks.compile;
  const includes = [...task.matchAll(/--include[= ](\S+)/g)].map((m) =>
    join(REPO, m[1]).replace(/\/$/, "")
  );
  for (const inc of includes) await Deno.stat(inc);
  assert.match(task, /--unstable-worker-options/);
  assert.match(task, /--allow-all/);
  // deno compile embeds main.ts's module graph and, for an included module, its graph too.
  const graph = new Set<string>();
  for (const entry of [join(REPO, "main.ts"), ...includes.filter((i) => i.endsWith(".ts"))]) {
    const info = JSON.parse(dec.decode((await denoOutput(["info", "--json", entry])).stdout));
    for (const { specifier } of info.modules as { specifier: string }[]) {
      if (specifier.startsWith("file:")) graph.add(fileURLToPath(specifier));
    }
  }
  const embedded = (file: string) =>
    graph.has(file) || includes.some((inc) => file === inc || file.startsWith(`${inc}/`));
  const loaded: string[] = [];
  for (const file of await publishedFiles()) {
    if (!file.endsWith(".ts")) continue;
    // Comments may show the pattern too: only code counts.
    const source = (await Deno.readTextFile(join(REPO, file)))
      .replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
    for (const m of source.matchAll(/new URL\("([^"]+)", import\.meta\.url\)/g)) {
      if (!m[1].endsWith("/")) loaded.push(join(REPO, dirname(file), m[1]));
    }
  }
  assert.ok(loaded.some((f) => f.endsWith("registry/index.yaml")), "the scan finds the registry");
  for (const f of loaded) assert.ok(embedded(f), `${relative(REPO, f)} is not embedded`);
  for (const family of PLUGIN_FAMILIES) {
    assert.ok(embedded(join(REPO, `plugins/${family}.ts`)), `plugins/${family}.ts`);
  }
});

Deno.test("the shipped unik prints its version without a deno.json", async () => {
  const r = await shippedUnik(await Deno.makeTempDir(), ["--version"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `${DENO_JSON.version}\n`);
});

const EXAMPLES: string[] = [];
for await (const e of Deno.readDir(join(REPO, "examples"))) {
  if (e.isDirectory) EXAMPLES.push(e.name);
}

for (const example of EXAMPLES.sort()) {
  Deno.test(`examples/${example} configures from the shipped package as from the checkout`, async () => {
    const dir = await exampleCopy(example);
    const r = await shippedUnik(dir, ["configure", "-t", "unix"]);
    assert.equal(r.code, 0, r.stderr);
    // The same files as the checkout's unik, which would call the shipped one as it was started.
    const reference = await exampleCopy(example);
    const self = [
      Deno.execPath(),
      "run",
      "--allow-all",
      "--unstable-worker-options",
      "--no-config",
    ];
    const expected = await unik(reference, ["configure", "-t", "unix"], {}, undefined, [
      ...self,
      r.main,
    ]);
    assert.equal(expected.code, 0, expected.stderr);
    assert.deepEqual(await snapshot(dir), await snapshot(reference));
    assert.equal(r.stdout, expected.stdout);
  });
}

Deno.test("a project made by the shipped unik init configures and type-checks against the shipped sources", async () => {
  const home = await Deno.makeTempDir();
  const init = await shippedUnik(home, ["init", "hello"]);
  assert.equal(init.code, 0, init.stderr);
  const dir = join(home, "hello");
  const { imports } = JSON.parse(await Deno.readTextFile(join(dir, "deno.json")));
  assert.equal(imports.unik, new URL(`file://${dirname(init.main)}/lib/mod.ts`).href);
  const configure = await shippedUnik(dir, ["configure"]);
  assert.equal(configure.code, 0, configure.stderr);
  const check = await shippedUnik(dir, ["check"]);
  assert.equal(check.code, 0, check.stderr);
});
