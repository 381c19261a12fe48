// The dune stamp (lib/toolchain/dune_stamp.ts): a no-op `unik build` skips dune only while
// nothing dune's result depends on has changed. Real dune 2.9 and OCaml 4.13 on examples/hello
// against a copy of the test duniverse; each test changes one thing the stamp covers and
// checks that dune runs again.
import assert from "node:assert/strict";
import { join } from "node:path";
import { copyOf, REPO, unikProcess } from "./helpers.ts";
import { build as duneBuild } from "../lib/toolchain/dune.ts";
import {
  DUNE_SKIPPED,
  RACY_MS,
  runRecorded,
  type StampScope,
  upToDate,
} from "../lib/toolchain/dune_stamp.ts";
import { ocamlLibrariesReady } from "./ocaml_ready.ts";

const ready = await ocamlLibrariesReady();
if (!ready && Deno.env.get("CI")) {
  throw new Error("CI needs OCaml, dune and the Debian libraries (scripts/ensure-ocaml.sh)");
}

const DUNE_RAN = "• build the unikernel: dune build";
const settle = () => new Promise((r) => setTimeout(r, RACY_MS + 200));

async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) {
    if (e.isDirectory) await copyTree(join(from, e.name), join(to, e.name));
    else await Deno.copyFile(join(from, e.name), join(to, e.name));
  }
}

/**
 * examples/hello built offline from its own copy of the test duniverse (the mirror hard-links
 * it: touching a file of the project's duniverse/ touches the copy, never the fixture), built
 * again until its stamp is recorded, so that the next build skips dune.
 */
async function stampedProject(env: Record<string, string> = {}) {
  const dir = await copyOf("examples/hello");
  const duniverse = await Deno.makeTempDir({ prefix: "unik-stamp-duniverse-" });
  await copyTree(join(REPO, "tests/fixtures/duniverse"), duniverse);
  const first = await unikProcess(dir, ["build", "--offline", "--duniverse", duniverse], env);
  assert.equal(first.code, 0, first.stderr);
  const build = async (args: string[] = [], extra: Record<string, string> = {}) => {
    const r = await unikProcess(dir, ["build", ...args], { ...env, ...extra });
    assert.equal(r.code, 0, r.stderr);
    return { ...r, ranDune: r.stderr.includes(DUNE_RAN), skipped: r.stderr.includes(DUNE_SKIPPED) };
  };
  // The first build's files are too recent for the stamp; one settled build records it.
  await settle();
  assert.equal((await build()).ranDune, true);
  const noop = await build();
  assert.equal(noop.skipped, true, `an unchanged build should skip dune:\n${noop.stderr}`);
  assert.equal(noop.ranDune, false);
  return { dir, duniverse, build };
}

Deno.test({
  name: "an unchanged project skips dune and says so; the artifact is named as after a build",
  ignore: !ready,
  fn: async () => {
    const { build } = await stampedProject();
    const again = await build();
    assert.equal(again.skipped, true);
    assert.match(again.stderr, /unikernel built: dist\/hello\n/);
  },
});

Deno.test({
  name: "--force runs dune although nothing changed, each time (a replayed build too)",
  ignore: !ready,
  fn: async () => {
    const { build } = await stampedProject();
    assert.equal((await build(["--force"])).ranDune, true);
    assert.equal((await build(["--force"])).ranDune, true);
  },
});

Deno.test({
  name: "an edited unikernel.ml runs dune, which builds the edit",
  ignore: !ready,
  fn: async () => {
    const { dir, build } = await stampedProject();
    const ml = join(dir, "unikernel.ml");
    await Deno.writeTextFile(ml, (await Deno.readTextFile(ml)) + "\nlet () = ignore 42\n");
    assert.equal((await build()).ranDune, true);
  },
});

Deno.test({
  name: "a touched file of duniverse/ runs dune",
  ignore: !ready,
  fn: async () => {
    const { dir, build } = await stampedProject();
    const now = new Date();
    await Deno.utime(join(dir, "duniverse/mirage-runtime/dune"), now, now);
    assert.equal((await build()).ranDune, true);
  },
});

Deno.test({
  name: "a new file in the project's duniverse/ (not in the --duniverse directory) runs dune",
  ignore: !ready,
  fn: async () => {
    const { dir, build } = await stampedProject();
    await Deno.writeTextFile(join(dir, "duniverse/mirage-runtime/stray.ml"), "let x = 1\n");
    assert.equal((await build()).ranDune, true);
  },
});

Deno.test({
  name: "a new file in the --duniverse directory runs the mirror and dune",
  ignore: !ready,
  fn: async () => {
    const { dir, duniverse, build } = await stampedProject();
    await Deno.writeTextFile(join(duniverse, "mirage-runtime/extra.txt"), "new\n");
    assert.equal((await build()).ranDune, true);
    assert.equal(await Deno.readTextFile(join(dir, "duniverse/mirage-runtime/extra.txt")), "new\n");
  },
});

Deno.test({
  name: "a deleted artifact runs dune, which brings it back",
  ignore: !ready,
  fn: async () => {
    const { dir, build } = await stampedProject();
    await Deno.remove(join(dir, "dist/hello"));
    assert.equal((await build()).ranDune, true);
    assert.ok(Deno.statSync(join(dir, "dist/hello")).isFile);
  },
});

Deno.test({
  name: "a changed environment variable that dune reads (OCAMLPARAM) runs dune",
  ignore: !ready,
  fn: async () => {
    const { build } = await stampedProject();
    assert.equal((await build([], { OCAMLPARAM: "_" })).ranDune, true);
  },
});

Deno.test({
  name: "a library newly installed in a findlib directory runs dune",
  ignore: !ready,
  fn: async () => {
    const lib = await Deno.makeTempDir({ prefix: "unik-stamp-findlib-" });
    const { build } = await stampedProject({ OCAMLPATH: lib });
    await Deno.mkdir(join(lib, "newlib"));
    await Deno.writeTextFile(join(lib, "newlib/META"), 'version = "1"\narchive(byte) = ""\n');
    assert.equal((await build([], { OCAMLPATH: lib })).ranDune, true);
  },
});

Deno.test({
  name: "a library upgraded in place in a findlib directory (its files replaced) runs dune",
  ignore: !ready,
  fn: async () => {
    const lib = await Deno.makeTempDir({ prefix: "unik-stamp-findlib-" });
    await Deno.mkdir(join(lib, "oldlib/sub"), { recursive: true });
    await Deno.writeTextFile(join(lib, "oldlib/sub/META"), 'version = "1"\n');
    const { build } = await stampedProject({ OCAMLPATH: lib });
    // As opam, dpkg and install(1) do: the old file removed, the new one put in its place.
    await Deno.remove(join(lib, "oldlib/sub/META"));
    await Deno.writeTextFile(join(lib, "oldlib/sub/META"), 'version = "2"\n');
    assert.equal((await build([], { OCAMLPATH: lib })).ranDune, true);
  },
});

/**
 * A scope of a built examples/hello whose dune step `run` stands for. Its own copy of the
 * duniverse, as in stampedProject: other tests hard-linking the fixture's files change their
 * link count and change time, which the stamp rightly counts as a change.
 */
async function builtScope(): Promise<StampScope> {
  const dir = await copyOf("examples/hello");
  const duniverse = await Deno.makeTempDir({ prefix: "unik-stamp-duniverse-" });
  await copyTree(join(REPO, "tests/fixtures/duniverse"), duniverse);
  const r = await unikProcess(dir, ["build", "--offline", "--duniverse", duniverse]);
  assert.equal(r.code, 0, r.stderr);
  await settle();
  return {
    root: dir,
    buildDir: "",
    step: duneBuild(dir, ""),
    extraTrees: [],
    env: Deno.env.toObject(),
  };
}

Deno.test({
  name: "a source changed while dune runs leaves no stamp",
  ignore: !ready,
  fn: async () => {
    const scope = await builtScope();
    await runRecorded(scope, [], async () => {
      await Deno.writeTextFile(join(scope.root, "unikernel.ml"), "(* edited meanwhile *)\n");
    });
    assert.equal(await upToDate(scope), undefined);
  },
});

Deno.test({
  name: "a source changed just before dune started leaves no stamp (its times may not change)",
  ignore: !ready,
  fn: async () => {
    const scope = await builtScope();
    await Deno.writeTextFile(join(scope.root, "unikernel.ml"), "(* edited just now *)\n");
    await runRecorded(scope, [], async () => {});
    assert.equal(await upToDate(scope), undefined);
  },
});

Deno.test({
  name: "a settled state with only dune's own files rewritten is recorded, and a failed dune " +
    "removes the stamp",
  ignore: !ready,
  fn: async () => {
    const scope = await builtScope();
    const log = join(scope.root, "_build/log");
    await runRecorded(scope, ["• a skipped step"], async () => {
      await Deno.writeTextFile(log, "rewritten by dune\n");
    });
    assert.deepEqual(await upToDate(scope), ["• a skipped step"]);
    await assert.rejects(runRecorded(scope, [], () => Promise.reject(new Error("dune failed"))));
    assert.equal(await upToDate(scope), undefined);
  },
});

Deno.test({
  name: "DUNE_BUILD_DIR set means no stamp: dune then builds elsewhere than _build",
  ignore: !ready,
  fn: async () => {
    const scope = await builtScope();
    const moved = { ...scope, env: { ...scope.env, DUNE_BUILD_DIR: "/tmp/elsewhere" } };
    await runRecorded(moved, [], async () => {});
    assert.equal(await upToDate(moved), undefined);
  },
});
