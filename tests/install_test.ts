// unik as a user installs it: `deno task install` (the README's command) into a temporary root,
// then the installed `unik` run from a directory outside the checkout with a fresh HOME, through
// a whole first unikernel: init, configure, build, run, make clean, and the editor's deno check.
// DENO_DIR keeps pointing at this machine's Deno cache, so that the install and the runs
// download nothing (unik's npm dependencies are already there); the build uses the test
// duniverse with Debian's OCaml and dune, as tests/real_build_test.ts does.
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { REPO } from "./helpers.ts";

const DUNIVERSE = join(REPO, "tests/fixtures/duniverse");
const dec = new TextDecoder();

async function denoDir(): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json"],
    stdout: "piped",
    stderr: "null",
  }).output();
  return JSON.parse(dec.decode(out.stdout)).denoDir;
}

async function toolchainReady(): Promise<boolean> {
  try {
    const dune = await new Deno.Command("dune", { args: ["--version"], stdout: "null" }).output();
    const make = await new Deno.Command("make", { args: ["--version"], stdout: "null" }).output();
    return dune.success && make.success;
  } catch {
    return false;
  }
}

const ready = await toolchainReady();
if (!ready && Deno.env.get("CI")) {
  throw new Error("CI needs dune and make (scripts/ensure-ocaml.sh)");
}

interface Installed {
  /** The installed command. */
  readonly bin: string;
  /** Runs a program with the user's environment: fresh HOME, PATH with the install root. */
  run(cwd: string, cmd: string, args: string[], path?: string): Promise<Deno.CommandOutput>;
}

/** `deno task install` with DENO_INSTALL_ROOT set to a temporary root. */
async function install(): Promise<Installed> {
  const root = await Deno.makeTempDir({ prefix: "unik-install-root-" });
  const home = await Deno.makeTempDir({ prefix: "unik-install-home-" });
  const env = {
    NO_COLOR: "1",
    DENO_NO_PROMPT: "1",
    DENO_DIR: await denoDir(),
    HOME: home,
    // The shim deno install writes runs `deno`: the one running these tests.
    PATH: `${join(root, "bin")}:${dirname(Deno.execPath())}:/usr/bin:/bin`,
  };
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["task", "install"],
    cwd: REPO,
    env: { ...env, DENO_INSTALL_ROOT: root },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, dec.decode(out.stderr));
  const bin = join(root, "bin", "unik");
  return {
    bin,
    run: (cwd, cmd, args, path = env.PATH) =>
      new Deno.Command(cmd, {
        args,
        cwd,
        env: { ...env, PATH: path },
        clearEnv: true,
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).output(),
  };
}

function text(out: Deno.CommandOutput): string {
  return dec.decode(out.stdout) + dec.decode(out.stderr);
}

let installed: Installed | undefined;
const once = async () => (installed ??= await install());

/** A directory outside the checkout, where a user would start. */
const userDir = () => Deno.makeTempDir({ prefix: "unik-user-" });

Deno.test("deno task install puts a unik on the PATH that runs outside the checkout", async () => {
  const unik = await once();
  const r = await unik.run(await userDir(), "unik", ["--version"]);
  assert.ok(r.success, text(r));
  const { version } = JSON.parse(await Deno.readTextFile(join(REPO, "deno.json")));
  assert.equal(dec.decode(r.stdout), `${version}\n`);
});

Deno.test({
  name:
    "the installed unik: init, configure, build, run on unix, make clean, from a user's directory",
  ignore: !ready,
  fn: async () => {
    const unik = await once();
    const home = await userDir();
    const dir = join(home, "hello");
    const step = async (args: string[]) => {
      const r = await unik.run(dir, "unik", args);
      assert.ok(r.success, `unik ${args.join(" ")}: ${text(r)}`);
      return dec.decode(r.stdout);
    };
    const init = await unik.run(home, "unik", ["init", "hello"]);
    assert.ok(init.success, text(init));
    assert.match(await step(["configure", "-t", "unix"]), /Successfully configured/);
    await step(["build", "--offline", "--duniverse", DUNIVERSE]);
    const out = await step(["run", "--target", "unix", "--offline", "--duniverse", DUNIVERSE]);
    assert.equal(out.match(/\[application\] Hello World!/g)?.length, 4, out);

    // Everything configure and build wrote is ignored by git: only the project's own files show.
    await unik.run(dir, "git", ["init", "-q", "."]);
    const status = await unik.run(dir, "git", ["status", "--porcelain", "--untracked-files=all"]);
    assert.deepEqual(
      dec.decode(status.stdout).trim().split("\n").sort(),
      ["?? .gitignore", "?? config.ts", "?? deno.json", "?? unikernel.ml"],
    );

    // make clean calls unik as it was installed, with no unik on the PATH.
    const clean = await unik.run(dir, "make", ["clean"], "/usr/bin:/bin");
    assert.ok(clean.success, text(clean));
    for (const f of ["Makefile", "mirage", "dune-project", "dist"]) {
      await assert.rejects(Deno.stat(join(dir, f)), Deno.errors.NotFound, f);
    }
  },
});

Deno.test("the opam file's x-mirage-configure configures again with no unik on the PATH", async () => {
  const unik = await once();
  const dir = join(await userDir(), "hello");
  assert.ok((await unik.run(dirname(dir), "unik", ["init", "hello"])).success);
  const first = await unik.run(dir, "unik", ["configure", "-t", "unix"]);
  assert.ok(first.success, text(first));
  const opam = await Deno.readTextFile(join(dir, "mirage/hello-unix.opam"));
  const m = /^x-mirage-configure: \["sh" "-exc" (".*")\]$/m.exec(opam);
  assert.ok(m, opam);
  await Deno.remove(join(dir, "Makefile"));
  const again = await unik.run(dir, "sh", ["-exc", JSON.parse(m[1])], "/usr/bin:/bin");
  assert.ok(again.success, text(again));
  assert.ok((await Deno.stat(join(dir, "Makefile"))).isFile);
});

Deno.test("in the installed unik's project, deno check passes, and fails at the line of a wrong application", async () => {
  const unik = await once();
  const dir = join(await userDir(), "hello");
  assert.ok((await unik.run(dirname(dir), "unik", ["init", "hello"])).success);
  const good = await unik.run(dir, Deno.execPath(), ["check", "config.ts"]);
  assert.ok(good.success, text(good));
  const config = await Deno.readTextFile(join(dir, "config.ts"));
  const lines = config.split("\n");
  const at = lines.findIndex((l) => l.startsWith("export default register("));
  lines.splice(
    at,
    1,
    'import { apply, fn, kvRo } from "unik";',
    'export default register("hello", [apply(main("Unikernel.Make", fn(kvRo, job)), unikernel)]);',
  );
  await Deno.writeTextFile(join(dir, "config.ts"), lines.join("\n"));
  const bad = await unik.run(dir, Deno.execPath(), ["check", "config.ts"]);
  assert.ok(!bad.success);
  assert.match(text(bad), new RegExp(`config\\.ts:${at + 2}:\\d+`));
  const check = await unik.run(dir, "unik", ["check"]);
  assert.equal(check.code, 3);
  assert.match(text(check), new RegExp(`config\\.ts:${at + 2}:\\d+: type error`));
});
