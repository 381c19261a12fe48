// The generated Makefile and opam file call unik as it was started, quoted for the shell: a
// path with spaces, quotes or `$` reaches the program as one word.
import assert from "node:assert/strict";
import { join } from "node:path";
import { REPO, tempProject, unik } from "./helpers.ts";
import { unikInvocation } from "../lib/self.ts";

const NOOP = 'import { register } from "unik";\nexport default register("noop", []);\n';

/** A program at a path full of shell syntax that records its arguments, one per line. */
async function recorder(): Promise<{ path: string; log: string }> {
  const dir = join(await Deno.makeTempDir(), "my unik's $HOME `x`");
  await Deno.mkdir(dir);
  const log = join(dir, "..", "args.log");
  const path = join(dir, "unik");
  await Deno.writeTextFile(path, `#!/bin/sh\nprintf '%s\\n' "$@" > '${log}'\n`);
  await Deno.chmod(path, 0o755);
  return { path, log };
}

Deno.test("make clean runs the unik command of configure, whatever its path", async () => {
  const fake = await recorder();
  const dir = await tempProject({ "config.ts": NOOP });
  const r = await unik(dir, ["configure", "-t", "unix"], {}, undefined, [fake.path, "--flag"]);
  assert.equal(r.code, 0, r.stderr);
  const make = await new Deno.Command("make", { args: ["clean"], cwd: dir, stdout: "null" })
    .output();
  assert.ok(make.success);
  assert.equal(await Deno.readTextFile(fake.log), "--flag\nclean\n");
});

Deno.test("the opam file's x-mirage-configure runs the unik command of configure, whatever its path", async () => {
  const fake = await recorder();
  const dir = await tempProject({ "config.ts": NOOP });
  const r = await unik(dir, ["configure", "-t", "unix"], {}, undefined, [fake.path]);
  assert.equal(r.code, 0, r.stderr);
  const opam = await Deno.readTextFile(join(dir, "mirage/noop-unix.opam"));
  const m = /^x-mirage-configure: \["sh" "-exc" (".*")\]$/m.exec(opam);
  assert.ok(m, opam);
  const sh = await new Deno.Command("sh", {
    args: ["-ec", JSON.parse(m[1])],
    cwd: dir,
    stdout: "null",
  }).output();
  assert.ok(sh.success);
  assert.equal(await Deno.readTextFile(fake.log), "configure\n-t\nunix\n--no-extra-repo\n");
});

Deno.test("unik run from files calls itself as deno run main.ts, with no deno.json of the caller's", async () => {
  const self = unikInvocation();
  assert.deepEqual(self, [
    Deno.execPath(),
    "run",
    "--allow-all",
    "--unstable-worker-options",
    "--no-config",
    join(REPO, "main.ts"),
  ]);
  const out = await new Deno.Command(self[0], { args: [...self.slice(1), "--version"] }).output();
  assert.ok(out.success);
});
