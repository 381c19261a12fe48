// Generated files, checked against golden files in tests/golden/ (UPDATE_GOLDEN=1 rewrites
// them; review the diff like code).
import assert from "node:assert/strict";
import { assertGolden, copyOf, REPO, snapshot, tempProject, unik } from "./helpers.ts";
import { compactList } from "../lib/codegen/dune_layout.ts";
import { join } from "node:path";

async function configureGolden(fixture: string, name: string, args: string[] = []) {
  const dir = await copyOf(fixture);
  const r = await unik(dir, ["configure", ...args]);
  assert.equal(r.code, 0, r.stderr);
  const files = await snapshot(dir);
  for (const [path, contents] of files) {
    if (path.endsWith("config.ts") || path.endsWith(".ml") && !path.includes("mirage/")) continue;
    if (path.endsWith("mirage/context")) continue;
    await assertGolden(`${name}/${path}`, contents);
  }
  return { dir, files };
}

Deno.test("dune's compact list layout matches mirage 4.9's libraries field", () => {
  const libs = [
    "cmdliner-stdlib",
    "duration",
    "lwt",
    "mirage-bootvar",
    "mirage-bootvar.unix",
    "mirage-crypto-rng-mirage",
    "mirage-logs",
    "mirage-mtime",
    "mirage-mtime.unix",
    "mirage-ptime",
    "mirage-ptime.unix",
    "mirage-runtime",
    "mirage-sleep",
    "mirage-sleep.unix",
    "mirage-unix",
  ];
  assert.equal(
    compactList("libraries", libs),
    "cmdliner-stdlib duration lwt mirage-bootvar mirage-bootvar.unix\n" +
      "   mirage-crypto-rng-mirage mirage-logs mirage-mtime mirage-mtime.unix\n" +
      "   mirage-ptime mirage-ptime.unix mirage-runtime mirage-sleep\n" +
      "   mirage-sleep.unix mirage-unix",
  );
});

Deno.test("hello for unix: every generated file", async () => {
  const { files } = await configureGolden("examples/hello", "hello-unix", ["-t", "unix"]);
  assert.deepEqual([...files.keys()], [
    "Makefile",
    "config.ts",
    "dist/dune",
    "dune",
    "dune-project",
    "dune-workspace",
    "dune.build",
    "dune.config",
    "mirage/context",
    "mirage/hello-unix.opam",
    "mirage/main.ml",
    "unikernel.ml",
  ]);
});

Deno.test("the random config (App.Make applied to noop) for unix", async () => {
  await configureGolden("tests/fixtures/configs/random", "random-unix");
});

Deno.test("noop: only the start-up jobs", async () => {
  await configureGolden("tests/fixtures/configs/noop", "noop-unix");
});

Deno.test("a key's value selects the branch and reaches connect code", async () => {
  await configureGolden("tests/fixtures/configs/keys", "keys-default");
  await configureGolden("tests/fixtures/configs/keys", "keys-fast", [
    "--fast=true",
    "--greeting=yo",
  ]);
});

Deno.test("-o names the main module, the artifact and the opam file", async () => {
  const { files } = await configureGolden("tests/fixtures/configs/noop", "noop-output", [
    "-o",
    "app",
  ]);
  assert.ok(files.has("mirage/app.ml") && files.has("mirage/app.opam"));
  assert.match(files.get("dune.build")!, /\(name app\)/);
});

Deno.test("-f in a sub-directory puts mirage/, dist/ and the dune files there", async () => {
  const dir = await tempProject({
    "app/config.ts": await Deno.readTextFile(join(REPO, "tests/fixtures/configs/random/config.ts")),
  });
  const r = await unik(dir, ["configure", "-f", "app/config.ts"]);
  assert.equal(r.code, 0, r.stderr);
  const files = await snapshot(dir);
  assert.deepEqual([...files.keys()], [
    "Makefile",
    "app/config.ts",
    "app/dist/dune",
    "app/dune",
    "app/dune.build",
    "app/dune.config",
    "app/mirage/context",
    "app/mirage/main.ml",
    "app/mirage/random-unix.opam",
    "dune-project",
    "dune-workspace",
  ]);
  assert.match(files.get("Makefile")!, /^BUILD_DIR = app\/\nMIRAGE_DIR = app\/mirage$/m);
  assert.match(files.get("app/mirage/main.ml")!, /# \d+ "app\/mirage\/main.ml"/);
  assert.match(files.get("app/mirage/main.ml")!, /# 4 "app\/config.ts"/);
  assert.match(
    files.get("app/mirage/random-unix.opam")!,
    /"unik configure -f app\/config.ts -t unix --no-extra-repo"/,
  );
});
