// The unik command line: every command, its options and its errors.
import assert from "node:assert/strict";
import { join } from "node:path";
import { copyOf, snapshot, tempProject, unik } from "./helpers.ts";
import { UNIK_VERSION } from "../lib/version.ts";

const hello = () => copyOf("examples/hello");

Deno.test("--version prints the version", async () => {
  const r = await unik(Deno.cwd(), ["--version"]);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, `${UNIK_VERSION}\n`);
});

Deno.test("no command, --help and help print the main help listing commands", async () => {
  for (const args of [[], ["--help"], ["help"]]) {
    const r = await unik(Deno.cwd(), args);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Usage: unik <command>/);
    for (const c of ["configure", "query", "describe", "clean"]) {
      assert.match(r.stdout, new RegExp(c));
    }
  }
});

Deno.test("help topics lists the commands, then the devices and targets topics", async () => {
  const r = await unik(Deno.cwd(), ["help", "topics"]);
  assert.equal(
    r.stdout,
    "init configure query describe build run clean check migrate plugin help " +
      "devices device targets\n",
  );
});

Deno.test("configure --help lists the config's keys with their docs", async () => {
  const dir = await copyOf("tests/fixtures/configs/keys");
  const r = await unik(dir, ["configure", "--help"]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /--fast <BOOL>.*Use the fast store\. Default: false\./);
  assert.match(r.stdout, /--mode <ENUM>.*one of: a, b\. Default: a\./);
  assert.match(r.stdout, /--target, -t <TARGET>.*Target platform/);
  assert.match(r.stdout, /--dry-run/);
});

Deno.test("help configure is configure --help, and works without a config", async () => {
  const empty = await tempProject({});
  const a = await unik(empty, ["help", "configure"]);
  const b = await unik(empty, ["configure", "--help"]);
  assert.equal(a.code, 0);
  assert.equal(a.stdout, b.stdout);
  assert.match(a.stdout, /--file, -f/);
});

Deno.test("configure writes the files and prints the unit-argument notice", async () => {
  const dir = await hello();
  const r = await unik(dir, ["configure", "-t", "unix"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /adding unit argument to 'start \(\)' \(to delay execution\)/);
  assert.match(r.stdout, /Successfully configured the unikernel/);
  assert.ok((await snapshot(dir)).has("mirage/main.ml"));
});

Deno.test("configure without a config file is an error naming it; nothing is written", async () => {
  const dir = await tempProject({});
  const r = await unik(dir, ["configure"]);
  assert.equal(r.code, 3);
  assert.match(r.stderr, /configuration file config\.ts missing/);
  assert.equal((await snapshot(dir)).size, 0);
  const sub = await unik(dir, ["query", "-f", "app/config.ts"]);
  assert.match(sub.stderr, /configuration file app\/config\.ts missing/);
});

Deno.test("an unknown target lists the valid ones; nothing is written", async () => {
  const dir = await hello();
  const r = await unik(dir, ["configure", "-t", "nosuch"]);
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /option '--target': invalid value 'nosuch', expected one of 'unix', 'macosx'/,
  );
  assert.equal((await snapshot(dir)).size, 2);
});

Deno.test("a bad key value and an unknown option are usage errors", async () => {
  const dir = await copyOf("tests/fixtures/configs/keys");
  const bad = await unik(dir, ["configure", "--fast=maybe"]);
  assert.equal(bad.code, 2);
  assert.match(
    bad.stderr,
    /option '--fast': invalid value 'maybe', expected either 'true' or 'false'/,
  );
  const unknown = await unik(dir, ["configure", "--nope"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /^unik: unknown option '--nope'\n/);
  assert.equal((await snapshot(dir)).size, 1);
});

Deno.test("MODE chooses the default target; an invalid MODE is refused", async () => {
  const dir = await hello();
  const r = await unik(dir, ["query", "name"], { MODE: "macosx" });
  assert.equal(r.code, 0);
  const opam = await unik(dir, ["query", "opam"], { MODE: "macosx" });
  assert.match(opam.stdout, /-t macosx/);
  const bad = await unik(dir, ["query", "name"], { MODE: "vax" });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /MODE: invalid target 'vax'/);
});

Deno.test("query prints each generated file without header, writing nothing", async () => {
  const dir = await hello();
  const name = await unik(dir, ["query", "name"]);
  assert.equal(name.stdout, "hello\n");
  const files = await unik(dir, ["query", "files"]);
  assert.equal(files.stdout, "main.ml\n");
  const pkgs = await unik(dir, ["query"]);
  assert.match(pkgs.stdout, /^"duration" \{ \?monorepo & < "1\.0\.0" \}$/m);
  for (
    const info of [
      "opam",
      "Makefile",
      "dune.build",
      "dune.config",
      "dune-project",
      "dune-workspace",
      "dune.dist",
      "main.ml",
    ]
  ) {
    const r = await unik(dir, ["query", info]);
    assert.equal(r.code, 0, `${info}: ${r.stderr}`);
    assert.doesNotMatch(r.stdout, /Generated by/, info);
    assert.ok(r.stdout.length > 10, info);
  }
  const prefix = await unik(dir, ["query", "dune-w"]);
  assert.match(prefix.stdout, /^\(lang dune 2\.9\)/);
  assert.equal((await snapshot(dir)).size, 2);
});

Deno.test("query prints exactly what configure writes, minus the header", async () => {
  const dir = await hello();
  const q = await unik(dir, ["query", "dune.build"]);
  await unik(dir, ["configure"]);
  const written = await Deno.readTextFile(join(dir, "dune.build"));
  assert.equal(written, `;; Generated by unik.${UNIK_VERSION}\n\n${q.stdout}`);
});

Deno.test("query rejects an unknown or ambiguous INFO", async () => {
  const dir = await hello();
  const r = await unik(dir, ["query", "nope"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /invalid value 'nope' for INFO/);
  const amb = await unik(dir, ["query", "dune"]);
  assert.match(amb.stderr, /ambiguous value 'dune'/);
});

Deno.test("key values are saved by configure and reused by later commands", async () => {
  const dir = await copyOf("tests/fixtures/configs/keys");
  assert.equal((await unik(dir, ["configure", "--fast=true"])).code, 0);
  const main = await unik(dir, ["query", "main.ml"]);
  assert.match(main.stdout, /Unikernel\.Make\(Fast_store\)/);
  const d = await unik(dir, ["describe"]);
  assert.match(d.stdout, /fast=true,/);
  assert.match(d.stdout, /greeting=hi \(default\)/);
  const override = await unik(dir, ["query", "main.ml", "--fast=false"]);
  assert.match(override.stdout, /Unikernel\.Make\(Slow_store\)/);
});

Deno.test("--context-file reads keys from another context, and must exist", async () => {
  const dir = await copyOf("tests/fixtures/configs/keys");
  await Deno.writeTextFile(join(dir, "my.context"), "configure\n--fast=true\n");
  const r = await unik(dir, ["query", "main.ml", "--context-file", "my.context"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Fast_store/);
  const missing = await unik(dir, ["query", "--context-file", "nope.context"]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot find the context file/);
});

Deno.test("a malformed context file is a clear error", async () => {
  const dir = await hello();
  await Deno.mkdir(join(dir, "mirage"));
  await Deno.writeTextFile(join(dir, "mirage/context"), "{ not json");
  const r = await unik(dir, ["configure"]);
  assert.equal(r.code, 3);
  assert.match(r.stderr, /mirage\/context: malformed context file/);
});

Deno.test("describe prints name and keys; -v adds libraries and packages", async () => {
  const dir = await copyOf("tests/fixtures/configs/keys");
  const r = await unik(dir, ["describe"]);
  assert.equal(
    r.stdout,
    "Name       keys\nKeys       fast=false (default),\n           greeting=hi (default),\n" +
      "           mode=a (default),\n           target=unix (default)\n",
  );
  const v = await unik(dir, ["describe", "-v"]);
  assert.match(v.stdout, /^Libraries {2}.*slow-store/m);
  assert.match(v.stdout, /^Packages {3}.*mirage-runtime/m);
});

Deno.test("describe --dot keeps unresolved choices, --eval resolves them", async () => {
  const dir = await copyOf("tests/fixtures/configs/keys");
  const partial = await unik(dir, ["describe", "--dot", "-o", "-"]);
  assert.match(partial.stdout, /^digraph G \{/);
  assert.match(partial.stdout, /label="If\\nfast"/);
  const full = await unik(dir, ["describe", "--dot", "--eval", "-o", "-"]);
  assert.doesNotMatch(full.stdout, /label="If/);
  assert.match(full.stdout, /slow_store__\d+\\nSlow_store/);
  await unik(dir, ["describe", "--dot", "-o", "graph.dot"]);
  assert.match(await Deno.readTextFile(join(dir, "graph.dot")), /^digraph G/);
});

Deno.test("configure --dry-run lists the files and writes none", async () => {
  const dir = await hello();
  const r = await unik(dir, ["configure", "--dry-run"]);
  assert.equal(r.code, 0);
  assert.match(r.stderr, /^\* Write to mirage\/main\.ml \(\d+ bytes\)$/m);
  assert.equal((await snapshot(dir)).size, 2);
});

Deno.test("clean removes exactly what configure wrote", async () => {
  const dir = await hello();
  const before = await snapshot(dir);
  await unik(dir, ["configure"]);
  await Deno.writeTextFile(join(dir, "dist/hello"), "artifact");
  const r = await unik(dir, ["clean"]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await snapshot(dir), before);
});

Deno.test("clean keeps a user's file that replaced a generated one", async () => {
  const dir = await hello();
  await unik(dir, ["configure"]);
  await Deno.writeTextFile(join(dir, "Makefile"), "all:\n\techo mine\n");
  await unik(dir, ["clean"]);
  assert.equal(await Deno.readTextFile(join(dir, "Makefile")), "all:\n\techo mine\n");
});

Deno.test("clean without a config or a context does nothing and succeeds", async () => {
  const dir = await tempProject({ "notes.txt": "x" });
  const r = await unik(dir, ["clean"]);
  assert.equal(r.code, 0);
  assert.equal((await snapshot(dir)).size, 1);
});

Deno.test("configure refuses to overwrite a file it did not generate, writing nothing", async () => {
  const dir = await hello();
  await Deno.writeTextFile(join(dir, "Makefile"), "all:\n\techo mine\n");
  const r = await unik(dir, ["configure"]);
  assert.equal(r.code, 7);
  assert.match(r.stderr, /refusing to overwrite Makefile: it was not generated by unik/);
  assert.equal((await snapshot(dir)).size, 3);
});

Deno.test("a second configure with the same inputs rewrites nothing", async () => {
  const dir = await hello();
  await unik(dir, ["configure"]);
  const mtime = async () => (await Deno.stat(join(dir, "mirage/main.ml"))).mtime?.getTime();
  const first = await mtime();
  await new Promise((r) => setTimeout(r, 20));
  await unik(dir, ["configure"]);
  assert.equal(await mtime(), first);
});

Deno.test("reconfiguring removes files the new configuration no longer generates", async () => {
  const dir = await copyOf("tests/fixtures/configs/noop");
  await unik(dir, ["configure", "-o", "first"]);
  assert.ok((await snapshot(dir)).has("mirage/first.ml"));
  await unik(dir, ["configure", "-o", "second"]);
  const files = await snapshot(dir);
  assert.ok(files.has("mirage/second.ml") && !files.has("mirage/first.ml"));
});

Deno.test("an unknown command is a usage error", async () => {
  const r = await unik(Deno.cwd(), ["build-it"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown command 'build-it'/);
});

Deno.test("the README starts with the demo and test commands and links nothing outside the repository", async () => {
  const readme = await Deno.readTextFile(new URL("../README.md", import.meta.url));
  assert.ok(
    readme.startsWith(
      "# unik\n\n```sh\nnpx -y deno@2.9.6 task demo\nnpx -y deno@2.9.6 task test\n```\n",
    ),
  );
  assert.doesNotMatch(readme, /\.\.\/shared|\]\(\.\.\//, "no path above the repository");
  for (const option of ["--quiet", "--verbose", "--verbosity", "--color", "--dot-command"]) {
    assert.ok(readme.includes(option), `the README documents ${option}`);
  }
  for (const topic of ["unik help devices", "unik help device NAME", "unik help targets"]) {
    assert.ok(readme.includes(topic), `the README documents ${topic}`);
  }
});
