// Generated main.ml files are real OCaml: they pass the OCaml parser (ocamlc from Debian,
// installed by .ci/run).
import assert from "node:assert/strict";
import { join } from "node:path";
import { copyOf, ocamlcAvailable, ocamlParses, REPO, unik } from "./helpers.ts";

const available = await ocamlcAvailable();
if (!available && Deno.env.get("CI")) {
  throw new Error("ocamlc is required in CI (.ci/run installs it)");
}

const cases: [string, string[]][] = [
  ["examples/hello", ["-t", "unix"]],
  ["tests/fixtures/configs/random", []],
  ["tests/fixtures/configs/noop", []],
  ["tests/fixtures/configs/keys", ["--fast=true"]],
];

for (const [fixture, args] of cases) {
  Deno.test({
    name: `main.ml of ${fixture} ${args.join(" ")} passes the OCaml parser`,
    ignore: !available,
    fn: async () => {
      const dir = await copyOf(fixture);
      const r = await unik(dir, ["configure", ...args]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(await ocamlParses(join(dir, "mirage/main.ml")), undefined);
    },
  });
}

async function goldenMainMls(dir: string, out: string[] = []): Promise<string[]> {
  for await (const e of Deno.readDir(dir)) {
    const path = join(dir, e.name);
    if (e.isDirectory) await goldenMainMls(path, out);
    else if (e.name.endsWith(".ml") && dir.endsWith("/mirage") && e.name !== "manifest.ml") {
      out.push(path);
    }
  }
  return out.sort();
}

Deno.test({
  name: "every golden main.ml (every target, every config) passes the OCaml parser",
  ignore: !available,
  fn: async () => {
    const files = await goldenMainMls(join(REPO, "tests/golden"));
    assert.ok(files.length >= 38, `only ${files.length} golden main.ml files`);
    for (const f of files) assert.equal(await ocamlParses(f), undefined, f);
  },
});

Deno.test({
  name: "the OCaml parser check can fail: a broken main.ml is rejected",
  ignore: !available,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    const file = join(dir, "main.ml");
    const good = await Deno.readTextFile(join(REPO, "tests/golden/hello-unix/mirage/main.ml"));
    await Deno.writeTextFile(file, good.replace("let () =", "let () = let"));
    assert.match((await ocamlParses(file)) ?? "", /Syntax error|Error/);
  },
});
