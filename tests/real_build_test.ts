// A real build and run with Debian's OCaml 4.13 and dune 2.9: the generated unix projects
// compile, link and run against the test duniverse (tests/fixtures/duniverse).
import assert from "node:assert/strict";
import { join } from "node:path";
import { copyOf, REPO, unikProcess } from "./helpers.ts";
import { ocamlLibrariesReady } from "./ocaml_ready.ts";

/** Whether util-linux's `script` is here to give unik a pseudo-terminal. */
async function scriptAvailable(): Promise<boolean> {
  try {
    return (await new Deno.Command("script", { args: ["--version"], stdout: "null" }).output())
      .success;
  } catch {
    return false;
  }
}

const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

/**
 * `unik args` on a pseudo-terminal (through `script`), without NO_COLOR: what the terminal
 * received, standard output and error together.
 */
async function unikOnTerminal(
  cwd: string,
  args: readonly string[],
  env: Record<string, string> = {},
) {
  const unik = [Deno.execPath(), "run", "--allow-all", "--config", join(REPO, "deno.json")];
  const line = [...unik, join(REPO, "main.ts"), ...args].map(quote).join(" ");
  const out = await new Deno.Command("script", {
    args: ["-qec", `stty cols 100; ${line}`, "/dev/null"],
    cwd,
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      HOME: Deno.env.get("HOME") ?? cwd,
      UNIK_CACHE_DIR: await Deno.makeTempDir(),
      TERM: "xterm",
      ...env,
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, output: new TextDecoder().decode(out.stdout) };
}

const ready = await ocamlLibrariesReady();
if (!ready && Deno.env.get("CI")) {
  throw new Error("CI needs OCaml, dune and the Debian libraries (scripts/ensure-ocaml.sh)");
}
const DUNIVERSE = join(REPO, "tests/fixtures/duniverse");
/** Build options for the test duniverse in place of opam: what every real build here passes. */
const FROM_TEST_DUNIVERSE = ["--offline", "--duniverse", DUNIVERSE];
const pty = await scriptAvailable();

Deno.test({
  name: "examples/hello builds, runs, logs its greeting and honours --hello",
  ignore: !ready,
  fn: async () => {
    const dir = await copyOf("examples/hello");
    const r = await unikProcess(dir, [
      "run",
      "-t",
      "unix",
      ...FROM_TEST_DUNIVERSE,
      "--",
      "--hello=Bonjour",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.match(/\[application\] Bonjour/g)?.length, 4, r.stdout);
    const plain = await unikProcess(dir, ["run", ...FROM_TEST_DUNIVERSE]);
    assert.match(plain.stdout, /\[application\] Hello World!/);
  },
});

Deno.test({
  name: "a functor unikernel applied to a key-chosen module builds and runs",
  ignore: !ready,
  fn: async () => {
    const dir = await copyOf("tests/fixtures/configs/functor");
    const r = await unikProcess(dir, [
      "run",
      "--french",
      ...FROM_TEST_DUNIVERSE,
      "--",
      "--times=3",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.match(/Bonjour #\d/g), ["Bonjour #1", "Bonjour #2", "Bonjour #3"]);
  },
});

Deno.test({
  name: "a bad boot argument makes the unikernel exit 64, and so unik",
  ignore: !ready,
  fn: async () => {
    const dir = await copyOf("examples/hello");
    const r = await unikProcess(dir, [
      "run",
      ...FROM_TEST_DUNIVERSE,
      "--",
      "--no-such-flag",
    ]);
    assert.equal(r.code, 64);
  },
});

/** examples/hello with a syntax error in its unikernel.ml, built against the test duniverse. */
async function buildWithOcamlError() {
  const dir = await copyOf("examples/hello");
  await Deno.writeTextFile(join(dir, "unikernel.ml"), "let start () _ = Lwt.return_unit +\n");
  return { dir, r: await unikProcess(dir, ["build", ...FROM_TEST_DUNIVERSE]) };
}

Deno.test({
  name: "an OCaml error in the unikernel fails the build with dune's message",
  ignore: !ready,
  fn: async () => {
    const { r } = await buildWithOcamlError();
    assert.equal(r.code, 5);
    assert.match(r.stderr, /build the unikernel failed \(exit code 1\): dune build/);
    assert.match(r.stderr, /unikernel\.ml/);
  },
});

Deno.test({
  name:
    "on a terminal the build shows a status line with the step, its time and dune's latest line",
  ignore: !ready || !pty,
  fn: async () => {
    const dir = await copyOf("examples/hello");
    await Deno.writeTextFile(join(dir, "unikernel.ml"), "let start () _ = Lwt.return_unit +\n");
    const r = await unikOnTerminal(dir, ["build", ...FROM_TEST_DUNIVERSE]);
    assert.equal(r.code, 5, r.output);
    // deno-lint-ignore no-control-regex
    assert.match(r.output, /\r\x1b\[2K• build the unikernel \d+\.\ds/);
    // deno-lint-ignore no-control-regex
    assert.match(r.output, /\r\x1b\[2K• build the unikernel \d+\.\ds │ [^\r\n]*\S/);
    assert.doesNotMatch(r.output, /\[dune\] /, "no prefixed lines on a terminal");
    assert.match(r.output, /the full output is in mirage\/log\/dune\.log/);
  },
});

Deno.test({
  name: "run -t unix on a terminal: the build's status line, then the unikernel's own output",
  ignore: !ready || !pty,
  fn: async () => {
    const dir = await copyOf("examples/hello");
    const r = await unikOnTerminal(dir, [
      "run",
      "-t",
      "unix",
      ...FROM_TEST_DUNIVERSE,
    ]);
    assert.equal(r.code, 0, r.output);
    // deno-lint-ignore no-control-regex
    assert.match(r.output, /\r\x1b\[2K• build the unikernel \d+\.\ds/);
    // deno-lint-ignore no-control-regex
    assert.match(r.output, /\r\x1b\[2K {2}done in \d+\.\ds\r?\n/);
    assert.match(r.output, /\[application\] Hello World!/);
  },
});

Deno.test({
  name: "with NO_COLOR a terminal gets plain prefixed lines, no status line",
  ignore: !ready || !pty,
  fn: async () => {
    const dir = await copyOf("examples/hello");
    await Deno.writeTextFile(join(dir, "unikernel.ml"), "let start () _ = Lwt.return_unit +\n");
    const r = await unikOnTerminal(dir, ["build", ...FROM_TEST_DUNIVERSE], {
      NO_COLOR: "1",
    });
    assert.equal(r.code, 5, r.output);
    assert.match(r.output, /\n {2}\[dune\] Error: Syntax error/);
    // deno-lint-ignore no-control-regex
    assert.doesNotMatch(r.output, /\x1b\[2K/);
  },
});

Deno.test({
  name: "a failed real build keeps dune's whole output in the log file it names",
  ignore: !ready,
  fn: async () => {
    const { dir, r } = await buildWithOcamlError();
    assert.equal(r.code, 5);
    assert.match(r.stderr, /\n {2}\[dune\] File "unikernel\.ml", line \d/);
    const shown = /the full output is in (\S+);/.exec(r.stderr)?.[1];
    assert.equal(shown, "mirage/log/dune.log");
    const log = await Deno.readTextFile(join(dir, shown!));
    assert.match(log, /File "unikernel\.ml", line \d/);
    assert.match(log, /Error: Syntax error/);
  },
});

Deno.test({
  name: "a local duniverse with a dune file in OCaml syntax builds, and a rebuild re-links nothing",
  ignore: !ready,
  fn: async () => {
    const dir = await copyOf("examples/hello");
    const args = ["build", ...FROM_TEST_DUNIVERSE];
    const first = await unikProcess(dir, args);
    assert.equal(first.code, 0, first.stderr);
    const dune = join(dir, "duniverse/ocaml-syntax-dune/dune");
    assert.match(await Deno.readTextFile(dune), /Jbuild_plugin\.V1\.send/);
    assert.equal(
      Deno.statSync(dune).ino,
      Deno.statSync(join(DUNIVERSE, "ocaml-syntax-dune/dune")).ino,
    );
    const before = Deno.lstatSync(join(dir, "duniverse/ocaml-syntax-dune")).mtime?.getTime();
    const again = await unikProcess(dir, args);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(Deno.lstatSync(join(dir, "duniverse/ocaml-syntax-dune")).mtime?.getTime(), before);
  },
});
