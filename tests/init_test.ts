// `unik init`: a new project that configures, that the editor and `deno check` type against
// unik's own sources, and that never replaces a file.
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { REPO, snapshot, tempProject, unik } from "./helpers.ts";
import { fileImports, PLUGIN_FAMILIES, UNIK_ROOT, writeSources } from "../lib/sources.ts";

const INIT_FILES = [".gitignore", "config.ts", "deno.json", "unikernel.ml"];

/** `deno check config.ts` in `dir`, as an editor would see it: with the deno.json found there. */
async function denoCheck(dir: string) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["check", "config.ts"],
    cwd: dir,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { success: out.success, text: dec.decode(out.stderr) + dec.decode(out.stdout) };
}

/** config.ts with a functor applied to a device of the wrong module type, at line 6. */
const WRONG_APPLICATION = [
  'import { apply, fn, job, kvRo, main, register } from "unik";',
  'import { ramdisk } from "unik/plugins/block";',
  "",
  'const app = main("Unikernel.Make", fn(kvRo, job));',
  "// kv_ro expected, a block device given:",
  'export default register("hello", [apply(app, ramdisk("disk"))]);',
  "",
].join("\n");

Deno.test("unik init writes config.ts, unikernel.ml, .gitignore and deno.json, and says what next", async () => {
  const dir = await tempProject({});
  const r = await unik(dir, ["init"]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual([...(await snapshot(dir)).keys()], INIT_FILES);
  assert.match(r.stdout, /Next: unik configure -t unix/);
});

Deno.test("unik init DIR creates the directory", async () => {
  const dir = await tempProject({});
  const r = await unik(dir, ["init", "apps/hello"]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual([...(await snapshot(join(dir, "apps/hello"))).keys()], INIT_FILES);
  assert.match(r.stdout, /cd apps\/hello && unik configure/);
});

Deno.test("unik init refuses a directory with one of its files and writes nothing (exit 7)", async () => {
  for (const existing of INIT_FILES) {
    const dir = await tempProject({ [existing]: "mine\n" });
    const r = await unik(dir, ["init"]);
    assert.equal(r.code, 7, `${existing}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`already has ${existing.replace(".", "\\.")}: nothing`));
    assert.deepEqual([...await snapshot(dir)], [[existing, "mine\n"]], existing);
  }
});

Deno.test("unik init --help describes DIR", async () => {
  const r = await unik(await tempProject({}), ["help", "init"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /unik init/);
  assert.match(r.stdout, /DIR/);
});

Deno.test("the deno.json of unik init maps unik and every unik/plugins/<family> to unik's sources", async () => {
  const dir = await tempProject({});
  assert.equal((await unik(dir, ["init"])).code, 0);
  const { imports } = JSON.parse(await Deno.readTextFile(join(dir, "deno.json")));
  assert.equal(imports.unik, new URL("lib/mod.ts", UNIK_ROOT).href);
  for (const family of PLUGIN_FAMILIES) {
    const file = fileURLToPath(imports[`unik/plugins/${family}`]);
    assert.ok((await Deno.stat(file)).isFile, family);
  }
});

Deno.test("an initialised project configures for unix", async () => {
  const dir = await tempProject({});
  assert.equal((await unik(dir, ["init"])).code, 0);
  const r = await unik(dir, ["configure", "-t", "unix"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(await Deno.readTextFile(join(dir, "mirage/main.ml")), /Unikernel\.start/);
});

Deno.test("a wrong functor application is the same type error, at its line, in deno check and unik check", async () => {
  const dir = await tempProject({});
  assert.equal((await unik(dir, ["init"])).code, 0);
  await Deno.writeTextFile(join(dir, "config.ts"), WRONG_APPLICATION);
  const editor = await denoCheck(dir);
  assert.ok(!editor.success);
  assert.match(editor.text, /TS2345/);
  assert.match(editor.text, /config\.ts:6:\d+/);
  const cache = await Deno.makeTempDir();
  const r = await unik(dir, ["check"], { UNIK_CACHE_DIR: cache });
  assert.equal(r.code, 3);
  assert.match(r.stderr, /^unik: config\.ts:6:\d+: type error/);
  assert.match(r.stderr, /TS2345/);
});

Deno.test("unik check without a deno.json resolves unik as unik init's deno.json does", async () => {
  const dir = await tempProject({ "config.ts": WRONG_APPLICATION });
  const cache = await Deno.makeTempDir();
  const r = await unik(dir, ["check"], { UNIK_CACHE_DIR: cache });
  assert.equal(r.code, 3);
  assert.match(r.stderr, /config\.ts:6:\d+: type error/);
  assert.doesNotMatch(r.stderr, /TS2307/); // not "cannot find module unik"
});

Deno.test("the sources a compiled unik writes out type a config like unik's own files", async () => {
  const out = join(await Deno.makeTempDir(), "sources");
  await writeSources(UNIK_ROOT, out);
  const written = await snapshot(out);
  for (const f of ["lib/mod.ts", "plugins/kv.ts", "plugins/network_args.ts", "targets/mod.ts"]) {
    assert.equal(written.get(f), await Deno.readTextFile(join(REPO, f)), f);
  }
  assert.ok(
    !written.has("main.ts") && !written.has("lib/cli/commands.ts"),
    "only what the API needs",
  );
  const project = await tempProject({
    "config.ts": WRONG_APPLICATION.replace('ramdisk("disk")', 'impl("Kv", kvRo)')
      .replace("import { apply,", "import { impl, apply,"),
    "deno.json": JSON.stringify({ imports: fileImports(new URL(`file://${out}/`).href) }),
  });
  const good = await denoCheck(project);
  assert.ok(good.success, good.text);
  await Deno.writeTextFile(join(project, "config.ts"), WRONG_APPLICATION);
  const bad = await denoCheck(project);
  assert.match(bad.text, /config\.ts:6:\d+/);
});
