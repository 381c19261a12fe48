// The overlay repositories around `opam monorepo lock`, as mirage's Makefile does it (repo-add,
// lock, repo-rm), against a fake opam (a PATH-injected recorder keeping the switch's
// repositories in a file, tests/fixtures/fake-toolchain/fake: no opam repository is reachable
// here).
import assert from "node:assert/strict";
import { join } from "node:path";
import { copyOf, fakeToolchain, unikProcess } from "./helpers.ts";

const show = (c: { tool: string; args: string[] }) => [c.tool, ...c.args].join(" ");
const LOCK = "mirage/hello-unix.opam.locked";

async function build(args: string[] = [], env: Record<string, string> = {}) {
  const dir = await copyOf("examples/hello");
  const fake = await fakeToolchain();
  const r = await unikProcess(dir, ["build", ...args], { ...fake.env, ...env });
  const ran = (await fake.calls()).map(show).filter((c) =>
    c.startsWith("opam repository") ||
    c.startsWith("opam monorepo lock")
  );
  const lock = await Deno.readTextFile(join(dir, LOCK)).catch(() => "");
  const repos = await Deno.readTextFile(`${fake.log}.repos`).catch(() => "");
  return { r, ran, lock, repos, dir, fake };
}

Deno.test("the default overlays are added before the lock and removed after it", async () => {
  const { r, ran, lock, repos } = await build();
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(ran, [
    "opam repository list --short",
    "opam repository add opam-overlays https://github.com/dune-universe/opam-overlays.git",
    "opam repository add mirage-overlays https://github.com/dune-universe/mirage-opam-overlays.git",
    "opam monorepo lock --require-cross-compile --build-only hello-unix -l mirage/hello-unix.opam.locked --ocaml-version 4.13.1",
    "opam repository remove opam-overlays",
    "opam repository remove mirage-overlays",
  ]);
  assert.match(lock, /locked with: default opam-overlays mirage-overlays/);
  assert.equal(repos, "default\n");
});

Deno.test("an overlay the switch has already is neither added nor removed", async () => {
  const { r, ran, lock } = await build([], { FAKE_REPOS: "opam-overlays" });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!ran.some((c) => c.includes("add opam-overlays")), ran.join("\n"));
  assert.ok(!ran.some((c) => c.includes("remove opam-overlays")), ran.join("\n"));
  assert.ok(ran.some((c) => c.includes("add mirage-overlays")), ran.join("\n"));
  assert.match(lock, /opam-overlays mirage-overlays/);
  assert.match(r.stderr, /add the overlay repository opam-overlays: skipped, the switch has it/);
});

Deno.test("--extra-repos and MIRAGE_EXTRA_REPOS choose the overlays", async () => {
  const flag = await build(["--extra-repos", "mine:https://example.invalid/r.git"]);
  assert.equal(flag.r.code, 0, flag.r.stderr);
  assert.ok(flag.ran.includes("opam repository add mine https://example.invalid/r.git"));
  assert.ok(!flag.ran.some((c) => c.includes("opam-overlays")));
  const env = await build([], { MIRAGE_EXTRA_REPOS: "other:/srv/overlay" });
  assert.ok(env.ran.includes("opam repository add other /srv/overlay"), env.ran.join("\n"));
});

Deno.test("--no-extra-repo and an empty MIRAGE_EXTRA_REPOS lock without overlays", async () => {
  for (
    const [args, env] of [[["--no-extra-repo"], {}], [[], { MIRAGE_EXTRA_REPOS: "" }]] as const
  ) {
    const { r, ran } = await build([...args], env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(ran.filter((c) => c.startsWith("opam repository")), []);
  }
});

Deno.test("the overlays leave the switch even when the lock fails", async () => {
  const { r, repos, ran } = await build([], { FAKE_FAIL: "opam monorepo lock" });
  assert.equal(r.code, 5);
  assert.match(r.stderr, /lock monorepo dependencies failed/);
  assert.ok(ran.includes("opam repository remove mirage-overlays"), ran.join("\n"));
  assert.equal(repos, "default\n");
});

Deno.test("no overlay step runs when the lock is up to date", async () => {
  const { dir, fake } = await build();
  await Deno.writeTextFile(fake.log, "");
  const r = await unikProcess(dir, ["build"], fake.env);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!(await fake.calls()).some((c) => c.args[0] === "repository"));
});

Deno.test("an overlay that opam would read as an option is refused before anything runs", async () => {
  const { r, ran } = await build(["--extra-repos", "evil:--help"]);
  assert.equal(r.code, 2);
  // Refused where the command line is read (lib/validate), naming the repository and its URL.
  assert.match(r.stderr, /--extra-repos evil: URL "--help"/);
  assert.deepEqual(ran, []);
});
