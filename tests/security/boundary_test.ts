/**
 * The trust boundary's own checks, one at a time (tests/security/sandbox_test.ts attacks them
 * together, end to end): the schemas of what comes out of the sandbox, the generated set, the
 * read scope, the import resolution and the sanitising of text for the terminal.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { EvaluationSchema, LoadedSchema, ReplySchema } from "../../lib/sandbox/protocol.ts";
import { checkGeneratedSet } from "../../lib/sandbox/generated_set.ts";
import { assertNoEscapingLinks, readableModules } from "../../lib/sandbox/read_scope.ts";
import { importSites, unikModule, withModuleUrl } from "../../lib/sandbox/resolve.ts";
import { stripControl } from "../../lib/sandbox/sanitize.ts";
import { type Configured, generateConfiguration } from "../../lib/configure.ts";
import { tempProject } from "../helpers.ts";

const EVALUATION = {
  name: "t",
  src: "none",
  target: "unix",
  mainMl: "let () = ()\n",
  hookFiles: [],
  stanzas: [{ kind: "target" }],
  installs: [],
  packages: [],
  libraries: [],
  resources: { networks: [], blocks: [] },
};

const REQUEST = {
  configFile: "config.ts",
  projectRootUrl: "file:///p/",
  keys: { target: "unix" },
  argv: [],
  extraRepos: [],
  depext: true,
};

for (
  const name of ["../x", "/etc/x", ".bashrc", "a/b", "", "x\u001b", "x\\y"]
) {
  Deno.test(`generating refuses the hook file name ${JSON.stringify(name)}`, () => {
    const bad = { ...EVALUATION, hookFiles: [{ name, contents: "", from: "d" }] };
    assert.throws(() => generateConfiguration(EvaluationSchema.parse(bad), REQUEST));
  });
}

Deno.test("generating refuses install paths that climb or are absolute", () => {
  for (const path of ["../x", "/x", "a/../../x"]) {
    const bad = { ...EVALUATION, installs: [{ bin: [[path, "x"]], etc: [], from: "d" }] };
    assert.throws(() => generateConfiguration(EvaluationSchema.parse(bad), REQUEST), path);
  }
});

Deno.test("generating refuses resource names that are not plain words", () => {
  for (const name of ["-x", "a b", "x'y", ""]) {
    const bad = { ...EVALUATION, resources: { networks: [name], blocks: [] } };
    assert.throws(() => generateConfiguration(EvaluationSchema.parse(bad), REQUEST), name);
  }
});

Deno.test("the evaluation schema refuses a register name that is a path", () => {
  for (const name of ["../x", "a/b", "x y", ""]) {
    assert.equal(EvaluationSchema.safeParse({ ...EVALUATION, name }).success, false, name);
  }
});

Deno.test("the evaluation schema refuses fields it does not know", () => {
  assert.equal(EvaluationSchema.safeParse({ ...EVALUATION, files: [] }).success, false);
  assert.equal(EvaluationSchema.safeParse(EVALUATION).success, true);
});

Deno.test("replies: only known message types, and their text without control characters", () => {
  assert.equal(ReplySchema.safeParse({ type: "write", path: "/x" }).success, false);
  const crash = ReplySchema.parse({ type: "crash", message: "a\u001b[2Jb" });
  assert.deepEqual(crash, { type: "crash", message: "a[2Jb" });
  const loaded = LoadedSchema.parse({
    name: "t",
    keys: [{ name: "k", kind: "string", doc: "\u001b]0;title\u0007help" }],
    notices: ["\u009b1mnote"],
  });
  assert.equal(loaded.keys[0].doc, "]0;titlehelp");
  assert.equal(loaded.notices[0], "1mnote");
});

function configured(change: Partial<Configured>): Configured {
  return { ...generateConfiguration(EvaluationSchema.parse(EVALUATION), REQUEST), ...change };
}

Deno.test("the generated set: unik's own files pass", () => {
  checkGeneratedSet(configured({}), "config.ts");
});

for (
  const path of ["../x", "/etc/x", "mirage/../x", "mirage/.x", "mirage/a/b", "src/dune", "x"]
) {
  Deno.test(`the generated set refuses ${path}`, () => {
    const files = [...configured({}).files, { path, contents: "" }];
    assert.throws(() => checkGeneratedSet(configured({ files }), "config.ts"));
  });
}

Deno.test("the generated set refuses a file listed twice", () => {
  const files = configured({}).files;
  assert.throws(() => checkGeneratedSet(configured({ files: [...files, files[0]] }), "config.ts"));
});

Deno.test("readable modules: only regular files inside the project, by real path", async () => {
  const dir = await Deno.realPath(await tempProject({ "config.ts": "", "sub/a.ts": "" }));
  const outside = await Deno.makeTempDir();
  await Deno.writeTextFile(join(outside, "secret.txt"), "s");
  await Deno.symlink(join(outside, "secret.txt"), join(dir, "link.txt"));
  await Deno.symlink(join(dir, "sub/a.ts"), join(dir, "inner.ts"));
  const got = readableModules(
    [
      join(dir, "config.ts"),
      join(dir, "sub/a.ts"),
      "/",
      join(dir, "sub"),
      join(outside, "secret.txt"),
      join(dir, "link.txt"),
      join(dir, "inner.ts"),
      join(dir, "../../etc/passwd"),
    ],
    dir,
  );
  assert.deepEqual(got.sort(), [
    join(dir, "config.ts"),
    join(dir, "inner.ts"),
    join(dir, "sub/a.ts"),
  ]);
});

Deno.test("the project is readable only without links out of it", async () => {
  const dir = await Deno.realPath(await tempProject({ "config.ts": "", "deep/er/x.txt": "" }));
  await assertNoEscapingLinks(dir);
  await Deno.symlink(join(dir, "config.ts"), join(dir, "deep/inside"));
  await assertNoEscapingLinks(dir);
  await Deno.symlink("/etc", join(dir, "deep/er/out"));
  await assert.rejects(assertNoEscapingLinks(dir), /deep\/er\/out/);
});

Deno.test("unik's module names map to unik's files, with or without .ts", () => {
  const root = new URL("../../", import.meta.url).href;
  assert.equal(unikModule("unik"), `${root}lib/mod.ts`);
  assert.equal(unikModule("unik/plugins/kv"), `${root}plugins/kv.ts`);
  assert.equal(unikModule("unik/plugins/kv.ts"), `${root}plugins/kv.ts`);
  assert.equal(unikModule("unik/../etc/passwd"), undefined);
  assert.equal(unikModule("unikernel"), undefined);
});

Deno.test("import-looking text inside another string is not an import", () => {
  const source = `import a from "./a.ts";\nconst bait = "import '/'";\nawait import("./b.ts");\n`;
  assert.deepEqual(importSites(source).map((s) => s.specifier), ["./a.ts", "./b.ts"]);
});

Deno.test("a blob-loaded module keeps its own import.meta.url", () => {
  const url = "file:///p/config.ts";
  assert.equal(
    withModuleUrl("new URL('./x', import.meta.url); import.meta.dirname", url),
    `new URL('./x', "file:///p/config.ts"); "/p"`,
  );
});

Deno.test("text for the terminal keeps tabs and newlines, drops every control character", () => {
  assert.equal(stripControl("a\tb\nc\u0000\u0007\u001b[31m\u007f\u0085\u009bd"), "a\tb\nc[31md");
});
