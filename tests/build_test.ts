// unik build and unik run against fake toolchains (PATH-injected scripts recording their
// arguments): the exact commands for every target, skipped steps, failures and missing tools.
import assert from "node:assert/strict";
import { join } from "node:path";
import { copyOf, fakeToolchain, unikProcess } from "./helpers.ts";

const show = (c: { tool: string; args: string[] }) => [c.tool, ...c.args].join(" ");

Deno.test("build runs lock, switch install, depext, pull and dune build, in order", async () => {
  const dir = await copyOf("examples/hello");
  const fake = await fakeToolchain();
  // The overlay repositories around the lock are tests/overlays_test.ts's.
  const r = await unikProcess(dir, ["build", "-t", "unix", "--no-extra-repo"], fake.env);
  assert.equal(r.code, 0, r.stderr);
  const calls = await fake.calls();
  assert.deepEqual(calls.map(show), [
    "ocamlc -version",
    "opam monorepo lock --require-cross-compile --build-only hello-unix -l mirage/hello-unix.opam.locked --ocaml-version 4.13.1",
    "opam install mirage/hello-unix.opam --deps-only --yes",
    "opam monorepo depext -y -l mirage/hello-unix.opam.locked",
    `opam monorepo pull -l mirage/hello-unix.opam.locked -r ${dir}`,
    "dune build --profile release --root . ./dist",
  ]);
  for (const c of calls) assert.equal(c.cwd, dir);
  assert.deepEqual(calls.filter((c) => c.args[0] === "monorepo").map((c) => c.monorepoVar), [
    "opam-monorepo",
    "opam-monorepo",
    "opam-monorepo",
  ]);
  assert.equal(calls.find((c) => c.args[0] === "install")!.monorepoVar, "");
  assert.match(
    r.stderr,
    /• build the unikernel: dune build --profile release --root \. \.\/dist\n {2}done in \d+\.\ds/,
  );
  assert.match(r.stderr, /unikernel built: dist\/hello/);
});

Deno.test("a second build skips the steps already done", async () => {
  const dir = await copyOf("examples/hello");
  const fake = await fakeToolchain();
  await unikProcess(dir, ["build"], fake.env);
  await Deno.writeTextFile(fake.log, "");
  const r = await unikProcess(dir, ["build"], fake.env);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual((await fake.calls()).map(show), [
    "dune build --profile release --root . ./dist",
  ]);
  assert.match(r.stderr, /lock monorepo dependencies: skipped/);
  assert.match(r.stderr, /pull monorepo dependencies: skipped/);
});

Deno.test("--no-depext installs without depexts and runs no depext step", async () => {
  const dir = await copyOf("examples/hello");
  const fake = await fakeToolchain();
  await unikProcess(dir, ["build", "--no-depext"], fake.env);
  const cmds = (await fake.calls()).map(show);
  assert.ok(cmds.includes("opam install mirage/hello-unix.opam --deps-only --yes --no-depexts"));
  assert.ok(!cmds.some((c) => c.includes("depext -y")));
});

Deno.test("a failing step stops the build with its command, exit code and output tail", async () => {
  const dir = await copyOf("examples/hello");
  const fake = await fakeToolchain();
  const r = await unikProcess(dir, ["build"], { ...fake.env, FAKE_FAIL: "opam monorepo pull" });
  assert.equal(r.code, 5);
  assert.match(
    r.stderr,
    /pull monorepo dependencies into duniverse\/ failed \(exit code 2\): opam monorepo pull/,
  );
  const error = r.stderr.slice(r.stderr.indexOf("unik: "));
  assert.match(error, /opam: fake failure/);
  assert.match(error, /diagnostic line 30/);
  assert.doesNotMatch(error, /diagnostic line 5\n/, "the error holds the tail only");
  assert.match(error, /hint: the full output is in mirage\/log\/pull\.log/);
  const log = await Deno.readTextFile(join(dir, "mirage/log/pull.log"));
  assert.match(log, /^opam: diagnostic line 1\n/);
  assert.match(log, /opam: diagnostic line 30\nopam: fake failure\n$/, "in the tool's order");
  assert.match(log, /opam: fake failure/);
  assert.ok(!(await fake.calls()).some((c) => c.tool === "dune"));
});

Deno.test("off a terminal every output line of a step is printed live, prefixed with its label", async () => {
  const dir = await copyOf("examples/hello");
  const fake = await fakeToolchain();
  const r = await unikProcess(dir, ["build"], { ...fake.env, FAKE_FAIL: "opam monorepo pull" });
  const live = r.stderr.slice(0, r.stderr.indexOf("unik: "));
  for (let i = 1; i <= 30; i++) assert.ok(live.includes(`\n  [pull] opam: diagnostic line ${i}\n`));
  // deno-lint-ignore no-control-regex
  assert.doesNotMatch(r.stderr, /\x1b/, "no escape sequences off a terminal");
});

Deno.test("after a failure the next build continues where it stopped", async () => {
  const dir = await copyOf("examples/hello");
  const fake = await fakeToolchain();
  await unikProcess(dir, ["build"], { ...fake.env, FAKE_FAIL: "dune" });
  await Deno.writeTextFile(fake.log, "");
  const r = await unikProcess(dir, ["build"], fake.env);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual((await fake.calls()).map(show), [
    "dune build --profile release --root . ./dist",
  ]);
});

Deno.test("a missing tool is reported with what needs it and how to install it; nothing runs", async () => {
  const dir = await copyOf("examples/hello");
  const fake = await fakeToolchain(["opam"]);
  const r = await unikProcess(dir, ["build"], fake.env);
  assert.equal(r.code, 5);
  assert.match(
    r.stderr,
    /missing tool:\n {2}opam \(needed to lock, install and pull the dependencies\): install opam/,
  );
  assert.match(r.stderr, /hint: nothing was run/);
  assert.deepEqual(await fake.calls(), []);
});

Deno.test("--offline --duniverse builds with dune only, from the mirrored sources", async () => {
  const dir = await copyOf("examples/hello");
  const fake = await fakeToolchain();
  const src = await Deno.makeTempDir();
  const r = await unikProcess(dir, ["build", "--offline", "--duniverse", src], fake.env);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual((await fake.calls()).map(show), [
    "dune build --profile release --root . ./dist",
  ]);
  const mark = JSON.parse(await Deno.readTextFile(join(dir, "duniverse/.unik-duniverse")));
  assert.equal(mark.source, src);
});

Deno.test("--offline without sources says how to provide them", async () => {
  const dir = await copyOf("examples/hello");
  const fake = await fakeToolchain();
  const r = await unikProcess(dir, ["build", "--offline"], fake.env);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /an offline build needs the package sources/);
});

Deno.test("a no-op build replays its configure instead of evaluating config.ts", async () => {
  const dir = await copyOf("examples/hello");
  const fake = await fakeToolchain();
  const src = await Deno.makeTempDir();
  assert.equal(
    (await unikProcess(dir, ["build", "--offline", "--duniverse", src], fake.env)).code,
    0,
  );
  // The first plain build records (the context it read was the first build's), the next replays.
  assert.equal((await unikProcess(dir, ["build"], fake.env)).code, 0);
  assert.equal((await unikProcess(dir, ["build"], fake.env)).code, 0);
  // An evaluation would fail within 1 ms: the build succeeds, so config.ts was not evaluated.
  const replayed = await unikProcess(dir, ["build"], { ...fake.env, UNIK_EVAL_TIMEOUT_MS: "1" });
  assert.equal(replayed.code, 0, replayed.stderr);
  assert.match(replayed.stderr, /• build the unikernel: dune build/);
  assert.match(replayed.stderr, /unikernel built: dist\/hello/);
});

Deno.test("a build after an edit of config.ts evaluates it again", async () => {
  const dir = await copyOf("examples/hello");
  const fake = await fakeToolchain();
  const src = await Deno.makeTempDir();
  await unikProcess(dir, ["build", "--offline", "--duniverse", src], fake.env);
  await unikProcess(dir, ["build"], fake.env);
  await unikProcess(dir, ["build"], fake.env);
  const config = join(dir, "config.ts");
  await Deno.writeTextFile(config, `${await Deno.readTextFile(config)}\n// edited\n`);
  const r = await unikProcess(dir, ["build"], { ...fake.env, UNIK_EVAL_TIMEOUT_MS: "1" });
  assert.notEqual(r.code, 0, "config.ts was evaluated, and timed out");
});

Deno.test("unik clean removes the step logs a build wrote, and their directory", async () => {
  const dir = await copyOf("examples/hello");
  const fake = await fakeToolchain();
  await unikProcess(dir, ["build", "--no-extra-repo"], fake.env);
  assert.ok((await Deno.stat(join(dir, "mirage/log/dune.log"))).isFile);
  await Deno.writeTextFile(join(dir, "mirage/log/notes.txt"), "mine");
  const r = await unikProcess(dir, ["clean"], fake.env);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!(await Deno.stat(join(dir, "mirage/log/dune.log")).catch(() => undefined)));
  assert.equal(await Deno.readTextFile(join(dir, "mirage/log/notes.txt")), "mine", "not a log");
  await Deno.remove(join(dir, "mirage/log/notes.txt"));
  await unikProcess(dir, ["build", "--no-extra-repo"], fake.env);
  await unikProcess(dir, ["clean"], fake.env);
  assert.ok(!(await Deno.stat(join(dir, "mirage")).catch(() => undefined)));
});

Deno.test("a link planted at a step's log file is replaced, never written through", async () => {
  const dir = await copyOf("examples/hello");
  const fake = await fakeToolchain();
  const victim = join(await Deno.makeTempDir(), "victim.txt");
  await Deno.writeTextFile(victim, "precious");
  await Deno.mkdir(join(dir, "mirage/log"), { recursive: true });
  await Deno.symlink(victim, join(dir, "mirage/log/dune.log"));
  const r = await unikProcess(dir, ["build", "--no-extra-repo"], fake.env);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await Deno.readTextFile(victim), "precious");
  assert.ok((await Deno.lstat(join(dir, "mirage/log/dune.log"))).isFile);
});

Deno.test("a link planted at the log directory stops the build before a step writes there", async () => {
  const dir = await copyOf("examples/hello");
  const fake = await fakeToolchain();
  const outside = await Deno.makeTempDir();
  await Deno.mkdir(join(dir, "mirage"), { recursive: true });
  await Deno.symlink(outside, join(dir, "mirage/log"));
  const r = await unikProcess(dir, ["build", "--no-extra-repo"], fake.env);
  assert.equal(r.code, 7, r.stderr);
  assert.match(r.stderr, /mirage\/log is not a directory/);
  assert.deepEqual([...Deno.readDirSync(outside)], []);
});
