/**
 * Attacks through project state (issue 11, class 4): a project directory may come from anyone's
 * repository, so its saved context, its write journal, its symbolic links and the command line
 * must never make unik write, rename or remove a file outside the project, nor replace a file
 * of the user's. Every case keeps victim files in a temporary directory outside the project and
 * checks that they are unchanged, and that the exit code is the README's class.
 */

import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { copyOf, fakeToolchain, snapshot, tempProject, unik, unikProcess } from "../helpers.ts";
import { sha256 } from "../../lib/digest.ts";
import { JOURNAL, realFs } from "../../lib/write.ts";

const USAGE = 2;
const CONFIG = 3;
const FILES = 7;

/** Files that must survive, in a directory of their own outside every project. */
async function victims(): Promise<{ dir: string; check: () => Promise<void> }> {
  const dir = await Deno.makeTempDir({ prefix: "unik-victim-" });
  await Deno.writeTextFile(join(dir, "precious.txt"), "the user's data\n");
  await Deno.writeTextFile(join(dir, "unikernel.ml"), "let start () = ()\n");
  await Deno.writeTextFile(join(dir, "main.ml"), "(* someone else's main *)\n");
  const before = await snapshot(dir);
  return {
    dir,
    check: async () => assert.deepEqual(await snapshot(dir), before, "a victim file changed"),
  };
}

/** A project configured with the noop fixture. */
async function configured(): Promise<string> {
  const dir = await copyOf("tests/fixtures/configs/noop");
  const r = await unik(dir, ["configure"]);
  assert.equal(r.code, 0, r.stderr);
  return dir;
}

/** The saved context of `dir`, changed by `edit`. */
async function editContext(dir: string, edit: (ctx: Record<string, unknown>) => void) {
  const path = join(dir, "mirage/context");
  const ctx = JSON.parse(await Deno.readTextFile(path));
  edit(ctx);
  await Deno.writeTextFile(path, JSON.stringify(ctx));
}

/** Every file and link below `dir` (links by their target, not followed). */
async function state(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (d: string, prefix: string) => {
    for await (const e of Deno.readDir(d)) {
      const path = join(d, e.name);
      if (e.isSymlink) out.set(prefix + e.name, `-> ${await Deno.readLink(path)}`);
      else if (e.isDirectory) await walk(path, `${prefix}${e.name}/`);
      else out.set(prefix + e.name, await Deno.readTextFile(path));
    }
  };
  await walk(dir, "");
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Runs `args` in `dir`; checks the exit code and that the project did not change. */
async function refused(dir: string, args: string[], code: number, message: RegExp) {
  const before = await state(dir);
  const r = await unik(dir, args);
  assert.equal(r.code, code, `exit code (stderr: ${r.stderr})`);
  assert.match(r.stderr, message);
  assert.deepEqual(await state(dir), before, "the project is unchanged");
}

// --- the saved context ---

Deno.test("clean refuses a context naming a file outside the project by ../", async () => {
  const v = await victims();
  const dir = await configured();
  const victim = join(v.dir, "precious.txt");
  const digest = await sha256(await Deno.readTextFile(victim));
  await editContext(
    dir,
    (c) => ((c.files as Record<string, string>)[relative(dir, victim)] = digest),
  );
  await refused(
    dir,
    ["clean"],
    CONFIG,
    /malformed context file: .*precious\.txt.* not a file configure generates/,
  );
  await v.check();
});

Deno.test("clean refuses a context naming an absolute path", async () => {
  const v = await victims();
  const dir = await configured();
  const victim = join(v.dir, "precious.txt");
  const digest = await sha256(await Deno.readTextFile(victim));
  await editContext(dir, (c) => ((c.files as Record<string, string>)[victim] = digest));
  await refused(dir, ["clean"], CONFIG, /not a file configure generates/);
  await v.check();
});

Deno.test("clean refuses a context whose artifact leaves dist/", async () => {
  const v = await victims();
  const dir = await configured();
  const artifact = `dist/${relative(join(dir, "dist"), join(v.dir, "precious.txt"))}`;
  await editContext(dir, (c) => (c.artifacts = [artifact]));
  await refused(dir, ["clean"], CONFIG, /is not a build product in dist\//);
  await v.check();
});

Deno.test("configure refuses a context whose stale files lie outside the project", async () => {
  const v = await victims();
  const dir = await configured();
  const victim = join(v.dir, "precious.txt");
  const digest = await sha256(await Deno.readTextFile(victim));
  await editContext(
    dir,
    (c) => ((c.files as Record<string, string>)[`mirage/../${relative(dir, victim)}`] = digest),
  );
  await refused(dir, ["configure"], CONFIG, /not a file configure generates/);
  await v.check();
});

Deno.test("a register name changed after register() cannot name an artifact outside", async () => {
  const v = await victims();
  const dir = await tempProject({});
  const name = relative(join(dir, "dist"), join(v.dir, "precious.txt"));
  await Deno.writeTextFile(
    join(dir, "config.ts"),
    `import { register } from "unik";
const r = register("noop", []);
(r as unknown as { name: string }).name = ${JSON.stringify(name)};
export default r;
`,
  );
  const r = await unik(dir, ["configure"]);
  assert.notEqual(r.code, 0, "configure must refuse the mutated name");
  assert.equal(r.code, CONFIG, r.stderr);
  await unik(dir, ["clean"]);
  await v.check();
});

Deno.test("a saved output that leaves mirage/ is refused", async () => {
  const v = await victims();
  const dir = await configured();
  await Deno.writeTextFile(join(dir, "unikernel.ml"), "let start () = ()\n");
  await editContext(dir, (c) => (c.output = "../unikernel"));
  await refused(
    dir,
    ["configure"],
    CONFIG,
    /saved output "\.\.\/unikernel" is not an OCaml module name/,
  );
  await v.check();
});

Deno.test("clean keeps a generated file whose content changed, even with its header", async () => {
  const dir = await configured();
  const makefile = await Deno.readTextFile(join(dir, "Makefile"));
  await Deno.writeTextFile(join(dir, "Makefile"), `${makefile}\nmine:\n\techo mine\n`);
  await Deno.writeTextFile(join(dir, "mirage/main.ml"), "(* my own main now *)\n");
  const r = await unik(dir, ["clean"]);
  assert.equal(r.code, 0, r.stderr);
  const left = await snapshot(dir);
  assert.deepEqual([...left.keys()], ["Makefile", "config.ts", "mirage/main.ml"]);
  assert.equal(left.get("mirage/main.ml"), "(* my own main now *)\n");
  assert.match(r.stderr, /Kept mirage\/main\.ml/);
});

Deno.test("clean does not remove through a mirage/ linked out of the project", async () => {
  const v = await victims();
  const dir = await configured();
  // The context is moved away with the directory, and mirage/ now leads to the victims.
  const context = await Deno.readTextFile(join(dir, "mirage/context"));
  await Deno.remove(join(dir, "mirage"), { recursive: true });
  await Deno.mkdir(join(dir, "state"));
  await Deno.writeTextFile(join(dir, "state/context"), context);
  await Deno.symlink(v.dir, join(dir, "mirage"));
  const digest = await sha256(await Deno.readTextFile(join(v.dir, "main.ml")));
  const ctx = JSON.parse(context);
  ctx.files["mirage/main.ml"] = digest;
  await Deno.writeTextFile(join(dir, "state/context"), JSON.stringify(ctx));
  const r = await unik(dir, ["clean", "--context-file", "state/context"]);
  assert.equal(r.code, FILES, r.stderr);
  assert.match(r.stderr, /mirage.*symbolic link leading out of the project/);
  await v.check();
});

// --- hand-written files ---

Deno.test("a hand-written mirage/main.ml is never replaced", async () => {
  const dir = await copyOf("tests/fixtures/configs/noop");
  await Deno.mkdir(join(dir, "mirage"));
  await Deno.writeTextFile(join(dir, "mirage/main.ml"), 'let () = print_endline "mine"\n');
  await refused(dir, ["configure"], FILES, /refusing to overwrite mirage\/main\.ml/);
});

Deno.test("a hand-written mirage/context is never replaced", async () => {
  const dir = await copyOf("tests/fixtures/configs/noop");
  await Deno.mkdir(join(dir, "mirage"));
  await Deno.writeTextFile(join(dir, "mirage/context"), "my notes about this unikernel\n");
  await refused(dir, ["configure"], FILES, /refusing to overwrite mirage\/context/);
});

Deno.test("a main.ml unik wrote, then edited by its user, is not replaced", async () => {
  const dir = await configured();
  await Deno.writeTextFile(join(dir, "mirage/main.ml"), "(* edited *)\n");
  await refused(dir, ["configure", "-t", "hvt"], FILES, /refusing to overwrite mirage\/main\.ml/);
});

// --- the command line ---

Deno.test("-o ../unikernel is refused: it would replace the user's unikernel.ml", async () => {
  const dir = await copyOf("tests/fixtures/configs/noop");
  await Deno.writeTextFile(join(dir, "unikernel.ml"), "let start () = ()\n");
  await refused(
    dir,
    ["configure", "-o", "../unikernel"],
    USAGE,
    /invalid output name '\.\.\/unikernel'/,
  );
});

Deno.test("-o with a path out of the project is refused", async () => {
  const v = await victims();
  const dir = await copyOf("tests/fixtures/configs/noop");
  const target = relative(join(dir, "mirage"), join(v.dir, "precious"));
  await refused(dir, ["configure", "-o", target], USAGE, /-o takes an OCaml module name/);
  await v.check();
});

Deno.test("--context-file out of the project is refused", async () => {
  const v = await victims();
  const dir = await copyOf("tests/fixtures/configs/noop");
  const target = relative(dir, join(v.dir, "precious.txt"));
  await refused(dir, ["configure", "--context-file", target], USAGE, /outside the project/);
  await v.check();
});

Deno.test("--context-file naming a file of the user's does not replace it", async () => {
  const dir = await copyOf("tests/fixtures/configs/noop");
  await Deno.writeTextFile(join(dir, "unikernel.ml"), "let start () = ()\n");
  await refused(
    dir,
    ["configure", "--context-file", "unikernel.ml"],
    FILES,
    /refusing to overwrite unikernel\.ml/,
  );
});

// --- symbolic links ---

Deno.test("a mirage/ linked out of the project is not written through", async () => {
  const v = await victims();
  const dir = await copyOf("tests/fixtures/configs/noop");
  await Deno.symlink(v.dir, join(dir, "mirage"));
  await refused(
    dir,
    ["configure"],
    FILES,
    /refusing to write through mirage: it is a symbolic link leading out/,
  );
  await v.check();
});

Deno.test("a dist/ linked out of the project is not written through", async () => {
  const v = await victims();
  const dir = await copyOf("tests/fixtures/configs/noop");
  await Deno.symlink(v.dir, join(dir, "dist"));
  await refused(dir, ["configure"], FILES, /refusing to write through dist: it is a symbolic link/);
  await v.check();
});

Deno.test("a link planted at a staging name is replaced, not written through", async () => {
  const v = await victims();
  const dir = await copyOf("tests/fixtures/configs/noop");
  // In-process, the staging names carry this test's pid: a repository cannot know it, but
  // the guard must not depend on that.
  await Deno.symlink(join(v.dir, "precious.txt"), join(dir, `.Makefile.unik-${Deno.pid}.tmp`));
  await Deno.symlink(join(v.dir, "unikernel.ml"), join(dir, `${JOURNAL}.tmp`));
  const r = await unik(dir, ["configure"]);
  assert.equal(r.code, 0, r.stderr);
  await v.check();
  assert.ok(!(await snapshot(dir)).has(`.Makefile.unik-${Deno.pid}.tmp`));
});

// --- the journal ---

/** A journal of unik's format, naming `write` and `remove` entries. */
function journal(pid: number, write: unknown[], remove: unknown[] = [], records = "commit\n") {
  return JSON.stringify({ format: "unik-journal-2", pid, write, remove, dirs: [] }) + "\n" +
    records;
}

const HASH = "0".repeat(64);

Deno.test("a journal renaming over a file outside the project is refused, nothing done", async () => {
  const v = await victims();
  const dir = await configured();
  const path = relative(dir, join(v.dir, "mirage/main.ml"));
  await Deno.mkdir(join(v.dir, "mirage"));
  await Deno.writeTextFile(join(v.dir, "mirage/.main.ml.unik-7.tmp"), "attack\n");
  const vv = await victims(); // the first set now has a staged file: check a fresh one too
  await Deno.writeTextFile(join(dir, JOURNAL), journal(7, [{ path, existed: true, sha256: HASH }]));
  await refused(
    dir,
    ["configure"],
    FILES,
    /\.unik-journal is not a journal of unik's.*nothing was done/,
  );
  assert.equal(await Deno.readTextFile(join(v.dir, "mirage/.main.ml.unik-7.tmp")), "attack\n");
  await vv.check();
});

Deno.test("a journal naming an absolute path is refused", async () => {
  const v = await victims();
  const dir = await configured();
  const path = join(v.dir, "precious.txt");
  await Deno.writeTextFile(
    join(dir, JOURNAL),
    journal(7, [], [{ path, sha256: await sha256("the user's data\n") }]),
  );
  await refused(dir, ["configure"], FILES, /not a journal of unik's/);
  await v.check();
});

Deno.test("a journal naming a file unik does not generate is refused", async () => {
  const dir = await configured();
  await Deno.writeTextFile(join(dir, "unikernel.ml"), "let start () = ()\n");
  await Deno.writeTextFile(join(dir, ".unikernel.ml.unik-7.tmp"), "attack\n");
  const j = journal(7, [{ path: "unikernel.ml", existed: true, sha256: HASH }]);
  await Deno.writeTextFile(join(dir, JOURNAL), j);
  await refused(
    dir,
    ["configure"],
    FILES,
    /would write "unikernel\.ml", which is not a file unik generates/,
  );
});

Deno.test("a journal of the old format, naming files outside by absolute path, is refused", async () => {
  const v = await victims();
  const dir = await configured();
  // What unik before this format trusted: it renamed tmp over path and removed bak.
  const entries = [{
    path: join(v.dir, "unikernel.ml"),
    tmp: join(dir, "config.ts"),
    bak: join(v.dir, "precious.txt"),
  }];
  await Deno.writeTextFile(
    join(dir, JOURNAL),
    JSON.stringify({ pid: 7, phase: "commit", entries }),
  );
  await refused(dir, ["configure"], FILES, /not a journal of unik's/);
  await Deno.writeTextFile(
    join(dir, JOURNAL),
    JSON.stringify({
      pid: 7,
      phase: "staging",
      entries: [{ path: "", tmp: join(v.dir, "main.ml") }],
    }),
  );
  await refused(dir, ["query", "name"], FILES, /not a journal of unik's/);
  await v.check();
});

Deno.test("a journal reaching outside through a linked directory is refused", async () => {
  const v = await victims();
  const dir = await copyOf("tests/fixtures/configs/noop");
  await Deno.writeTextFile(join(v.dir, ".main.ml.unik-7.tmp"), "attack\n");
  await Deno.symlink(v.dir, join(dir, "mirage"));
  const vv = await victims();
  await Deno.writeTextFile(
    join(dir, JOURNAL),
    journal(7, [{ path: "mirage/main.ml", existed: true, sha256: HASH }]),
  );
  await refused(dir, ["configure"], FILES, /not a journal of unik's.*symbolic link/);
  assert.equal(await Deno.readTextFile(join(v.dir, "main.ml")), "(* someone else's main *)\n");
  await vv.check();
});

Deno.test("a journal record that is not unik's is refused", async () => {
  const dir = await configured();
  await Deno.writeTextFile(join(dir, JOURNAL), journal(7, [], [], "commit\nrm -rf /\n"));
  await refused(dir, ["clean"], FILES, /unknown record "rm -rf \/"/);
});

Deno.test("the file system's create never writes through a link, even one appearing late", async () => {
  const v = await victims();
  const dir = await Deno.makeTempDir({ prefix: "unik-test-" });
  await Deno.symlink(join(v.dir, "precious.txt"), join(dir, "staged"));
  await assert.rejects(realFs.writeText(join(dir, "staged"), "attack\n"));
  await v.check();
});

// --- files in the way (exit 7, not an internal error) ---

for (const command of [["configure"], ["query", "name"], ["describe"], ["clean"]]) {
  Deno.test(`a file named mirage is a files error for ${command[0]}`, async () => {
    const dir = await copyOf("tests/fixtures/configs/noop");
    await Deno.writeTextFile(join(dir, "mirage"), "not a directory\n");
    // As a process: the real command line, replay cache included.
    const r = await unikProcess(dir, command);
    assert.equal(r.code, FILES, r.stderr);
    assert.match(r.stderr, /mirage is a file, not a directory/);
    assert.equal(await Deno.readTextFile(join(dir, "mirage")), "not a directory\n");
  });
}

Deno.test("describe --dot -o into a missing directory is a files error", async () => {
  const dir = await copyOf("tests/fixtures/configs/noop");
  await refused(
    dir,
    ["describe", "--dot", "-o", "graphs/g.dot"],
    FILES,
    /cannot write the dot graph to graphs\/g\.dot: its directory does not exist/,
  );
});

Deno.test("build's state file linked out of the project is replaced, not written through", async () => {
  const v = await victims();
  const dir = await copyOf("examples/hello");
  assert.equal((await unik(dir, ["configure"])).code, 0);
  await Deno.symlink(join(v.dir, "precious.txt"), join(dir, "mirage/.unik-build.json"));
  const fake = await fakeToolchain(); // opam and dune stand-ins: no opam repository here
  const r = await unikProcess(dir, ["build"], fake.env);
  assert.equal(r.code, 0, r.stderr);
  await v.check();
  assert.ok(!(await Deno.lstat(join(dir, "mirage/.unik-build.json"))).isSymlink);
});
