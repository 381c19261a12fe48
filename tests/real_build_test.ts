// A real build and run with Debian's OCaml 4.13 and dune 2.9: the generated unix projects
// compile, link and run against the test duniverse (tests/fixtures/duniverse).
import assert from "node:assert/strict";
import { join } from "node:path";
import { copyOf, REPO, unikProcess } from "./helpers.ts";

async function toolchainReady(): Promise<boolean> {
  try {
    const dune = await new Deno.Command("dune", {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    }).output();
    const libs = await new Deno.Command("ocamlfind", {
      args: ["query", "lwt", "cmdliner", "logs", "fmt"],
      stdout: "null",
      stderr: "null",
    }).output();
    return dune.success && libs.success;
  } catch {
    return false;
  }
}

const ready = await toolchainReady();
if (!ready && Deno.env.get("CI")) {
  throw new Error("CI needs OCaml, dune and the Debian libraries (scripts/ensure-ocaml.sh)");
}
const DUNIVERSE = join(REPO, "tests/fixtures/duniverse");

Deno.test({
  name: "examples/hello builds, runs, logs its greeting and honours --hello",
  ignore: !ready,
  fn: async () => {
    const dir = await copyOf("examples/hello");
    const r = await unikProcess(dir, [
      "run",
      "-t",
      "unix",
      "--offline",
      "--duniverse",
      DUNIVERSE,
      "--",
      "--hello=Bonjour",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.match(/\[application\] Bonjour/g)?.length, 4, r.stdout);
    const plain = await unikProcess(dir, ["run", "--offline", "--duniverse", DUNIVERSE]);
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
      "--offline",
      "--duniverse",
      DUNIVERSE,
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
      "--offline",
      "--duniverse",
      DUNIVERSE,
      "--",
      "--no-such-flag",
    ]);
    assert.equal(r.code, 64);
  },
});

Deno.test({
  name: "an OCaml error in the unikernel fails the build with dune's message",
  ignore: !ready,
  fn: async () => {
    const dir = await copyOf("examples/hello");
    await Deno.writeTextFile(join(dir, "unikernel.ml"), "let start () _ = Lwt.return_unit +\n");
    const r = await unikProcess(dir, ["build", "--offline", "--duniverse", DUNIVERSE]);
    assert.equal(r.code, 5);
    assert.match(r.stderr, /build the unikernel failed \(exit code 1\): dune build/);
    assert.match(r.stderr, /unikernel\.ml/);
  },
});
