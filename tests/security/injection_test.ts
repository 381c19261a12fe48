/**
 * Attack corpus, class 5 of issue 11: injection into the generated files that opam, dune, make
 * and shells run. Each case is a project whose config.ts (or command line) smuggles shell,
 * opam, dune or make syntax into one non-code field. The promise: either configure refuses,
 * naming the device and the field, with the README's exit code and the project left exactly as
 * it was; or the text is quoted so well that running the generated thing (`sh -exc` of
 * x-mirage-configure, `make` with fake tools on PATH) never creates the victim file, which
 * lives in a temporary directory outside the project.
 *
 * Fake tools: `unik` and `opam` on PATH are shell scripts recording their arguments; there is
 * no opam repository here, and what matters is which words reach them.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { snapshot, tempProject, unik } from "../helpers.ts";

const USAGE = 2;
const CONFIG = 3;

const victimDir = await Deno.makeTempDir({ prefix: "unik-victim-" });
const VICTIM = join(victimDir, "victim");

async function victimExists(): Promise<boolean> {
  try {
    await Deno.stat(VICTIM);
    return true;
  } catch {
    return false;
  }
}

/** A config.ts: the unik imports, then `body`, which must export the registration. */
function config(body: string, imports = "apply, fn, impl, job, key, main, pkg, register"): string {
  return `import { ${imports} } from "unik";\n${body}\n`;
}

/** A config whose main asks for `options` (a TypeScript object literal). */
function mainWith(options: string): string {
  return config(`const app = main("Unikernel.Main", job, ${options});
export default register("attack", [app]);`);
}

/** A config whose main is applied to a device made with `impl("Evil", job, <options>)`. */
function deviceWith(options: string, imports?: string): string {
  return config(
    `const evil = impl("Evil", job, ${options});
const app = main("Unikernel.Main", fn(job, job));
export default register("attack", [apply(app, evil)]);`,
    imports,
  );
}

interface Refusal {
  /** The attack. */
  readonly name: string;
  /** config.ts. */
  readonly config: string;
  /** Command line after `configure`. */
  readonly args?: readonly string[];
  /** Environment. */
  readonly env?: Record<string, string>;
  /** Exit code class. */
  readonly code: number;
  /** What the message must name: the device and the field. */
  readonly names: readonly RegExp[];
  /** Whether the message must give the config.ts line and column (refused where written). */
  readonly at?: boolean;
}

const V = JSON.stringify(VICTIM).slice(1, -1);

const REFUSALS: readonly Refusal[] = [
  {
    name: "a package min bound closing the opam string to add a filter",
    config: mainWith(`{ packages: [pkg("lwt", { min: '1.0" {build}' })] }`),
    code: CONFIG,
    names: [/package lwt/, /min/],
    at: true,
  },
  {
    name: "a package max bound adding an opam formula",
    config: mainWith(`{ packages: [pkg("lwt", { max: '2.0" | "evil' })] }`),
    code: CONFIG,
    names: [/package lwt/, /max/],
    at: true,
  },
  {
    name: "a library name closing dune's libraries field",
    config: mainWith(
      `{ packages: [pkg("lwt", { libs: ["lwt) (action (system \\"touch ${V}\\")"] })] }`,
    ),
    code: CONFIG,
    names: [/package lwt/, /libs/],
    at: true,
  },
  {
    name: "a library name with spaces",
    config: mainWith(`{ packages: [pkg("lwt", { libs: ["lwt unix"] })] }`),
    code: CONFIG,
    names: [/package lwt/, /libs/],
    at: true,
  },
  {
    name: "a sub-library with parentheses",
    config: mainWith(`{ packages: [pkg("tcpip", { sublibs: ["ipv4)(x"] })] }`),
    code: CONFIG,
    names: [/package tcpip/, /sublibs/],
    at: true,
  },
  {
    name: "a local library injecting a dune rule",
    config: mainWith(`{ localLibs: ["x) (rule (action (system \\"touch ${V}\\"))"] }`),
    code: CONFIG,
    names: [/Unikernel\.Main/, /localLibs/],
    at: true,
  },
  {
    name: "a pin URL adding an opam build command",
    config: mainWith(
      `{ packages: [pkg("lwt", { pin: 'https://x" ]\\nbuild: [["touch" "${V}"]]\\n#' })] }`,
    ),
    code: CONFIG,
    names: [/package lwt/, /pin/],
    at: true,
  },
  {
    name: "a pin version closing the opam string",
    config: mainWith(`{ packages: [pkg("lwt", { pin: "git+https://x/y", pinVersion: 'dev" ' })] }`),
    code: CONFIG,
    names: [/package lwt/, /pinVersion/],
    at: true,
  },
  {
    name: "an install source climbing out of dist/",
    config: deviceWith(`{ install: () => ({ bin: [["../../x", "x"]] }) }`),
    code: CONFIG,
    names: [/Evil/, /install bin source/],
  },
  {
    name: "an etc file closing the opam install command",
    config: deviceWith(`{ install: () => ({ etc: ['x" ] ["touch" "${V}'] }) }`),
    code: CONFIG,
    names: [/Evil/, /install etc/],
  },
  {
    name: "a crunch directory outside the project",
    config: config(
      `import { crunch } from "unik/plugins/kv.ts";
const app = main("Unikernel.Main", fn(kvRo, job));
export default register("attack", [apply(app, crunch("../../secret"))]);`,
      "apply, fn, job, kvRo, main, register",
    ),
    code: CONFIG,
    names: [/crunch\("\.\.\/\.\.\/secret"\)/, /directory/, /leaves the project/],
  },
  {
    name: "a crunch directory closing the dune rule",
    config: config(
      `import { crunch } from "unik/plugins/kv.ts";
const app = main("Unikernel.Main", fn(kvRo, job));
export default register("attack", [apply(app, crunch('x) (action (system "touch ${V}"))'))]);`,
      "apply, fn, job, kvRo, main, register",
    ),
    code: CONFIG,
    names: [/crunch\(/, /directory/],
    at: true,
  },
  {
    name: "a docteur image name (a key value) closing the dune rule",
    config: config(
      `import { docteur } from "unik/plugins/kv.ts";
const app = main("Unikernel.Main", fn(kvRo, job));
export default register("attack", [apply(app, docteur("relativize://data"))]);`,
      "apply, fn, job, kvRo, main, register",
    ),
    args: [`--disk-output=x) (action (system "touch ${VICTIM}")) (targets y`],
    code: CONFIG,
    names: [/docteur\("relativize:\/\/data"\)/, /--disk-output/],
  },
  {
    name: "a dune hook returning an unbalanced stanza",
    config: deviceWith(
      `{ dune: () => ['(rule (targets a) (action (run true)))) (rule (action (system "touch ${V}")) ('] }`,
    ),
    code: CONFIG,
    names: [/Evil/, /dune stanza/],
  },
  {
    name: "a block device name breaking out of the xl file's quotes",
    config: deviceWith(
      `{ configure: (_i, io) => void io.registerBlock("d' ]\\nbootloader = '/bin/sh") }`,
    ),
    args: ["-t", "xen"],
    code: CONFIG,
    names: [/Evil/, /block device name/],
  },
  {
    name: "a register name with a newline",
    config: config(`const app = main("Unikernel.Main", job);
export default register("x\\nbuild: [[\\"touch\\" \\"${V}\\"]]", [app]);`),
    code: CONFIG,
    names: [/unikernel name/],
    at: true,
  },
  {
    name: "a register name with a make function",
    config: config(`const app = main("Unikernel.Main", job);
export default register("x$(shell touch ${V})", [app]);`),
    code: CONFIG,
    names: [/unikernel name/],
    at: true,
  },
  {
    name: "a register src closing the opam url",
    config: config(`const app = main("Unikernel.Main", job);
export default register("attack", [app], { src: 'https://x" }\\nbuild: [["touch" "${V}"]]' });`),
    code: CONFIG,
    names: [/register attack/, /src/],
    at: true,
  },
  {
    name: "--extra-repos with a shell command after the URL",
    config: mainWith("{}"),
    args: [`--extra-repos=x:y; touch ${VICTIM}`],
    code: USAGE,
    names: [/--extra-repos/, /URL/],
  },
  {
    name: "--extra-repos with a command substitution in the name",
    config: mainWith("{}"),
    args: [`--extra-repos=$(touch ${VICTIM}):https://example.org/r.git`],
    code: USAGE,
    names: [/--extra-repos/, /name/],
  },
  {
    name: "MIRAGE_EXTRA_REPOS with a make function in the URL",
    config: mainWith("{}"),
    env: { MIRAGE_EXTRA_REPOS: `x:https://a/$(shell touch ${VICTIM})` },
    code: USAGE,
    names: [/MIRAGE_EXTRA_REPOS/, /URL/],
  },
  {
    name: "a key value with a newline (it would end the opam string's command)",
    config: config(`const k = key({ name: "greeting", default: "hi" });
const app = main("Unikernel.Main", job, { keys: [k] });
export default register("attack", [app]);`),
    args: [`--greeting=a\ntouch ${VICTIM}`],
    code: USAGE,
    names: [/--greeting/],
  },
];

for (const c of REFUSALS) {
  Deno.test(`refused: ${c.name}`, async () => {
    const dir = await tempProject({ "config.ts": c.config });
    const before = await snapshot(dir);
    const r = await unik(dir, ["configure", ...(c.args ?? [])], c.env);
    assert.equal(r.code, c.code, r.stderr);
    for (const n of c.names) assert.match(r.stderr, n);
    if (c.at) assert.match(r.stderr, /config\.ts:\d+:\d+/);
    assert.deepEqual(await snapshot(dir), before, "the project changed");
    assert.equal(await victimExists(), false);
    await Deno.remove(dir, { recursive: true });
  });
}

/** A directory of fake tools: each records its arguments (NUL-separated) in `<name>.log`. */
async function fakeTools(names: readonly string[]): Promise<string> {
  const bin = await Deno.makeTempDir({ prefix: "unik-fake-bin-" });
  for (const name of names) {
    await Deno.writeTextFile(
      join(bin, name),
      `#!/bin/sh\nfor a in "$@"; do printf '%s\\0' "$a"; done >> "${bin}/${name}.log"\n`,
      { mode: 0o755 },
    );
  }
  return bin;
}

async function loggedArgs(bin: string, name: string): Promise<string[]> {
  return (await Deno.readTextFile(join(bin, `${name}.log`))).split("\0").slice(0, -1);
}

/** The x-mirage-configure shell text of an opam file, unescaped as opam's lexer does. */
function configureScript(opam: string): string {
  const m = /^x-mirage-configure: \["sh" "-exc" "((?:[^"\\]|\\.)*)"\]$/m.exec(opam);
  assert.ok(m, "no x-mirage-configure field");
  return m[1].replace(/\\(["\\])/g, "$1");
}

const GREETING = config(`const k = key({ name: "greeting", default: "hi" });
const app = main("Unikernel.Main", job, { keys: [k] });
export default register("attack", [app]);`);

for (
  const value of [
    `$(touch ${VICTIM})`,
    `';touch ${VICTIM};'`,
    `"; touch ${VICTIM}; "`,
    `\`touch ${VICTIM}\``,
    `%{bin}%/x && touch ${VICTIM}`,
  ]
) {
  Deno.test(`quoted: key value ${JSON.stringify(value)} reaches unik intact through sh -exc`, async () => {
    const dir = await tempProject({ "config.ts": GREETING });
    const r = await unik(dir, ["configure", `--greeting=${value}`]);
    assert.equal(r.code, 0, r.stderr);
    const opam = await Deno.readTextFile(join(dir, "mirage", "attack-unix.opam"));
    assert.ok(!configureScript(opam).includes("%{"), "an opam variable in the shell text");
    const bin = await fakeTools(["unik"]);
    const run = await new Deno.Command("sh", {
      args: ["-exc", configureScript(opam)],
      cwd: dir,
      env: { PATH: `${bin}:/usr/bin:/bin` },
      stderr: "null",
    }).output();
    assert.equal(run.code, 0);
    assert.deepEqual(await loggedArgs(bin, "unik"), [
      "configure",
      `--greeting=${value}`,
      "-t",
      "unix",
      "--no-extra-repo",
    ]);
    assert.equal(await victimExists(), false);
    await Deno.remove(bin, { recursive: true });
    await Deno.remove(dir, { recursive: true });
  });
}

Deno.test("quoted: make repo-add passes a valid overlay repository to opam as two words", async () => {
  const dir = await tempProject({ "config.ts": mainWith("{}") });
  const repo = "my-repo:git+https://example.org/r.git#main";
  const r = await unik(dir, ["configure", `--extra-repos=${repo}`]);
  assert.equal(r.code, 0, r.stderr);
  const bin = await fakeTools(["opam"]);
  const make = await new Deno.Command("make", {
    args: ["-s", "repo-add"],
    cwd: dir,
    env: { PATH: `${bin}:/usr/bin:/bin` },
    stdout: "null",
  }).output();
  assert.equal(make.code, 0);
  assert.deepEqual(await loggedArgs(bin, "opam"), [
    "repo",
    "add",
    "my-repo",
    "git+https://example.org/r.git#main",
  ]);
  await Deno.remove(bin, { recursive: true });
  await Deno.remove(dir, { recursive: true });
});

Deno.test("quoted: make clean runs the unik command and nothing else", async () => {
  const dir = await tempProject({ "config.ts": mainWith("{}") });
  assert.equal((await unik(dir, ["configure"])).code, 0);
  const bin = await fakeTools(["unik"]);
  const make = await new Deno.Command("make", {
    args: ["-s", "clean"],
    cwd: dir,
    env: { PATH: `${bin}:/usr/bin:/bin` },
  }).output();
  assert.equal(make.code, 0);
  assert.deepEqual(await loggedArgs(bin, "unik"), ["clean"]);
  await Deno.remove(bin, { recursive: true });
  await Deno.remove(dir, { recursive: true });
});

Deno.test("an origin URL opam could not read in .git/config is no opam url", async () => {
  const dir = await tempProject({
    "config.ts": mainWith("{}"),
    ".git/HEAD": "ref: refs/heads/main\n",
    ".git/config": `[remote "origin"]\n\turl = https://x/"}build:[["touch""${V}"]]\n`,
  });
  const r = await unik(dir, ["configure"]);
  assert.equal(r.code, 0, r.stderr);
  const opam = await Deno.readTextFile(join(dir, "mirage", "attack-unix.opam"));
  assert.doesNotMatch(opam, /^url/m);
  assert.doesNotMatch(opam, /touch/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("the victim directory is outside every test project and still empty", async () => {
  const entries = [];
  for await (const e of Deno.readDir(victimDir)) entries.push(e.name);
  assert.deepEqual(entries, []);
});
