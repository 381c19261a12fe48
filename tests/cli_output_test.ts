// mirage's common options: -q (errors and results only), -v/-vv (each program unik runs, with
// its time; why unik does what it does), --verbosity, --color, and describe --dot-command.
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  copyOf,
  fakeToolchain,
  freshUnikHome,
  snapshot,
  tempProject,
  unik,
  unikProcess,
} from "./helpers.ts";
import { runCli } from "../main.ts";
import { extractGlobalOptions } from "../lib/cli/global_options.ts";
import { DEBUG, NORMAL, QUIET, VERBOSE } from "../lib/cli/output.ts";
import { progressSinkFor, StepProgress } from "../lib/toolchain/progress.ts";
import type { CliIO } from "../lib/cli/io.ts";
import { commandExists } from "../lib/toolchain/process.ts";

const hello = () => copyOf("examples/hello");
// deno-lint-ignore no-control-regex
const ESCAPE = /\x1b\[/;

/** Runs unik in-process as on a terminal (standard error a tty), with `env` only. */
async function onTerminal(cwd: string, args: string[], env: Record<string, string> = {}) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    cwd,
    env,
    out: (t) => (stdout += t),
    err: (t) => (stderr += t),
    unikCommand: ["unik"],
    terminal: { columns: 80 },
  });
  return { code, stdout, stderr };
}

Deno.test("the common options are taken out wherever they stand, up to --", () => {
  const r = extractGlobalOptions(["-v", "run", "--color=never", "-t", "unix", "--", "-v", "-q"]);
  assert.deepEqual(r.argv, ["run", "-t", "unix", "--", "-v", "-q"]);
  assert.equal(r.verbosity, VERBOSE);
  assert.equal(r.color, "never");
  assert.equal(extractGlobalOptions(["configure", "-vv"]).verbosity, DEBUG);
  assert.equal(extractGlobalOptions(["configure", "--verbose", "--verbose"]).verbosity, DEBUG);
  assert.equal(extractGlobalOptions(["configure", "--verbosity=info"]).verbosity, VERBOSE);
  assert.equal(extractGlobalOptions(["configure", "--verbosity", "quiet"]).verbosity, QUIET);
  assert.equal(extractGlobalOptions(["configure", "-v", "-q"]).verbosity, QUIET, "-q wins");
  assert.equal(extractGlobalOptions(["configure"]).verbosity, NORMAL);
  assert.equal(extractGlobalOptions(["configure", "--color", "always"]).color, "always");
});

Deno.test("a bad --color or --verbosity value is a usage error listing the valid ones", async () => {
  const dir = await hello();
  const color = await unik(dir, ["configure", "--color=sometimes"]);
  assert.equal(color.code, 2);
  assert.match(
    color.stderr,
    /option '--color': invalid value 'sometimes', expected one of 'auto', 'always' or 'never'/,
  );
  const level = await unik(dir, ["configure", "--verbosity=loud"]);
  assert.equal(level.code, 2);
  assert.match(level.stderr, /'quiet', 'error', 'warning', 'info' or 'debug'/);
  assert.equal((await snapshot(dir)).size, 2, "nothing written");
});

Deno.test("-q configures silently, and a replayed configure is silent too", async () => {
  const dir = await hello();
  const { env } = await freshUnikHome();
  const first = await unik(dir, ["configure", "-q"], env);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stdout + first.stderr, "");
  assert.ok((await snapshot(dir)).has("mirage/main.ml"), "the files are written");
  const loud = await unik(dir, ["configure"], env);
  assert.match(loud.stdout, /Successfully configured/);
  const replayed = await unik(dir, ["-q", "configure"], env);
  assert.equal(replayed.code, 0);
  assert.equal(replayed.stdout + replayed.stderr, "");
});

Deno.test("-q still prints errors, and the results a command was asked for", async () => {
  const dir = await hello();
  const bad = await unik(dir, ["configure", "-q", "-t", "nosuch"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /invalid value 'nosuch'/);
  const name = await unik(dir, ["query", "name", "-q"]);
  assert.equal(name.stdout, "hello\n");
  const dry = await unik(dir, ["configure", "-q", "--dry-run"]);
  assert.match(dry.stderr, /^\* Write to mirage\/main\.ml/m, "a dry run's list is its result");
  assert.equal(dry.stdout, "");
});

Deno.test("-q silences clean's notes and init's summary", async () => {
  const dir = await hello();
  await unik(dir, ["configure"]);
  await Deno.writeTextFile(join(dir, "Makefile"), "all:\n\techo mine\n");
  const loud = await unik(dir, ["clean", "--dry-run"]);
  assert.match(loud.stderr, /\* Rm/);
  const clean = await unik(dir, ["clean", "-q"]);
  assert.equal(clean.code, 0);
  assert.equal(clean.stdout + clean.stderr, "", "no 'Kept Makefile' note");
  const empty = await tempProject({});
  const init = await unik(empty, ["init", "app", "--quiet"]);
  assert.equal(init.code, 0, init.stderr);
  assert.equal(init.stdout + init.stderr, "");
  assert.ok((await snapshot(empty)).has("app/config.ts"));
});

Deno.test("-q silences the build's steps and progress; a failure is still reported", async () => {
  const dir = await hello();
  const fake = await fakeToolchain();
  const quiet = await unikProcess(dir, ["build", "-q", "--no-extra-repo"], fake.env);
  assert.equal(quiet.code, 0, quiet.stderr);
  assert.equal(quiet.stdout + quiet.stderr, "");
  const failing = await copyOf("examples/hello");
  const failed = await unikProcess(failing, ["build", "-q", "--no-extra-repo"], {
    ...fake.env,
    FAKE_FAIL: "opam monorepo pull",
  });
  assert.equal(failed.code, 5);
  assert.match(failed.stderr, /^unik: pull monorepo dependencies into duniverse\/ failed/m);
  assert.doesNotMatch(failed.stderr, /\[pull\]|• /, "only the error");
});

Deno.test("-v shows each program unik runs with its exit status and time", async () => {
  const dir = await hello();
  const fake = await fakeToolchain();
  const r = await unikProcess(dir, ["build", "-v", "--no-extra-repo"], fake.env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^unik: run: ocamlc -version$/m);
  assert.match(r.stderr, /^unik: exit 0 after \d+\.\d\ds: ocamlc -version$/m);
  assert.match(r.stderr, /^unik: evaluated config\.ts in the sandbox process in \d+\.\d\ds$/m);
  assert.match(r.stderr, /^unik: unik build: exit 0 after \d+\.\d\ds$/m);
  const normal = await unikProcess(await hello(), ["build", "--no-extra-repo"], fake.env);
  assert.doesNotMatch(normal.stderr, /^unik: run:/m, "not without -v");
});

Deno.test("-vv also says why: the modules config.ts reads, a configure evaluated or replayed", async () => {
  const dir = await hello();
  const { env } = await freshUnikHome();
  const first = await unik(dir, ["configure", "-vv"], env);
  assert.match(first.stderr, /^unik: \[debug\] config\.ts and its local modules: config\.ts$/m);
  assert.match(first.stderr, /^unik: \[debug\] no configure of this command line .* evaluating$/m);
  const v = await unik(dir, ["configure", "-v"], env);
  assert.doesNotMatch(v.stderr, /\[debug\]/, "-v alone shows no debug line");
});

Deno.test("describe -v adds the libraries and packages, as mirage's verbose describe", async () => {
  const dir = await hello();
  const plain = await unik(dir, ["describe"]);
  assert.doesNotMatch(plain.stdout, /^Libraries/m);
  const v = await unik(dir, ["describe", "--verbose"]);
  assert.match(v.stdout, /^Libraries {2}.*mirage-runtime/m);
});

Deno.test("--color=always colours errors: the message red, the hint cyan", async () => {
  const r = await unik(Deno.cwd(), ["confgure", "--color=always"]);
  assert.ok(r.stderr.startsWith("\x1b[31munik: unknown command 'confgure'"), r.stderr);
  assert.ok(r.stderr.includes("\x1b[36m  hint: "), r.stderr);
});

Deno.test("--color=auto colours on a terminal, never with NO_COLOR or --color=never", async () => {
  assert.match((await onTerminal(Deno.cwd(), ["nope"])).stderr, ESCAPE);
  assert.doesNotMatch((await onTerminal(Deno.cwd(), ["nope"], { NO_COLOR: "1" })).stderr, ESCAPE);
  assert.doesNotMatch((await onTerminal(Deno.cwd(), ["nope", "--color=never"])).stderr, ESCAPE);
  assert.doesNotMatch((await onTerminal(Deno.cwd(), ["nope"], { TERM: "dumb" })).stderr, ESCAPE);
  assert.doesNotMatch(
    (await unik(Deno.cwd(), ["nope"], { NO_COLOR: "" })).stderr,
    ESCAPE,
    "no tty",
  );
});

function sinkIO(style: CliIO["style"], terminal?: { columns: number }) {
  const written: string[] = [];
  const io: CliIO = {
    cwd: ".",
    env: {},
    out: () => {},
    err: (t) => void written.push(t),
    unikCommand: ["unik"],
    terminal,
    style,
  };
  return { written, io };
}

Deno.test("build progress is coloured only when colours are on, and live only on a terminal", () => {
  const plain = sinkIO({ verbosity: NORMAL, color: false }, { columns: 80 });
  const sink = progressSinkFor(plain.io);
  assert.equal(sink.live, false, "--color=never on a terminal: line by line");
  new StepProgress(sink, "pull", "pull").output("fetching lwt\n");
  assert.deepEqual(plain.written, ["  [pull] fetching lwt\n"]);
  const coloured = sinkIO({ verbosity: NORMAL, color: true });
  new StepProgress(progressSinkFor(coloured.io), "pull", "pull").output("fetching lwt\n");
  assert.deepEqual(coloured.written, ["  \x1b[2m[pull]\x1b[0m fetching lwt\n"]);
  const live = sinkIO({ verbosity: NORMAL, color: true }, { columns: 80 });
  const liveSink = progressSinkFor(live.io);
  assert.equal(liveSink.live, true);
  const p = new StepProgress(liveSink, "pull", "pull");
  p.output("fetching lwt\n");
  p.finish();
  assert.ok(
    // deno-lint-ignore no-control-regex
    live.written.some((t) => /• pull \d+\.\ds │ \x1b\[2mfetching lwt\x1b\[0m$/.test(t)),
    "the tool's line dimmed on the status line",
  );
});

Deno.test("-q silences build progress, even on a terminal", () => {
  const { written, io } = sinkIO({ verbosity: QUIET, color: true }, { columns: 80 });
  const sink = progressSinkFor(io);
  assert.equal(sink.live, false);
  const p = new StepProgress(sink, "pull", "pull");
  p.output("fetching lwt\n");
  p.finish();
  sink.write("• pull: opam monorepo pull\n");
  assert.deepEqual(written, []);
});

Deno.test("describe --dot opens the graph with the --dot-command, the file as its last argument", async () => {
  const dir = await hello();
  const seen = join(dir, "seen.txt");
  // The viewer copies what it was given: its arguments, then the file's content.
  const viewer = `sh -c 'printf "%s\\n" "$@" > ${seen}; cat "$2" >> ${seen}' viewer --flag`;
  const r = await unik(dir, ["describe", "--dot", `--dot-command=${viewer}`]);
  assert.equal(r.code, 0, r.stderr);
  const [flag, file, ...graph] = (await Deno.readTextFile(seen)).split("\n");
  assert.equal(flag, "--flag");
  assert.match(file, /\/graph[^/]*\.dot$/);
  assert.match(graph.join("\n"), /^digraph G \{/);
  await assert.rejects(Deno.stat(file), "the temporary graph file is removed afterwards");
});

Deno.test("the graph's file name reaches the dot command as an argument, never as shell text", async () => {
  const dir = await hello();
  const tmp = join(await Deno.makeTempDir(), "a b;touch INJECTED;$(touch INJECTED2)'");
  await Deno.mkdir(tmp);
  const seen = join(dir, "seen.txt");
  const r = await unik(dir, [
    "describe",
    "--dot",
    `--dot-command=sh -c 'printf %s "$1" > ${seen}' viewer`,
  ], { TMPDIR: tmp });
  assert.equal(r.code, 0, r.stderr);
  assert.ok((await Deno.readTextFile(seen)).startsWith(`${tmp}/graph`));
  const files = await snapshot(dir);
  assert.ok(!files.has("INJECTED") && !files.has("INJECTED2"), "nothing ran from the path");
});

Deno.test("describe --dot with a viewer that fails says how to get one or print the graph", async () => {
  const dir = await hello();
  const r = await unik(dir, ["describe", "--dot", "--dot-command=unik-no-such-viewer"]);
  assert.equal(r.code, 5);
  assert.match(
    r.stderr,
    /the dot command 'unik-no-such-viewer' failed on the graph \(exit code 127: not found\)/,
  );
  assert.match(r.stderr, /hint: install xdot .*-o -/);
  const printed = await unik(dir, ["describe", "--dot", "-o", "-"]);
  assert.match(printed.stdout, /^digraph G/);
});

Deno.test("without --dot-command the graph is opened with xdot, as mirage does", {
  ignore: commandExists("xdot"),
}, async () => {
  const r = await unik(await hello(), ["describe", "--dot"]);
  assert.equal(r.code, 5);
  assert.match(r.stderr, /the dot command 'xdot' failed/);
});
