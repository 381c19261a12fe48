/**
 * The bad-input corpus: every case is a project and a command line that must fail with a
 * given exit code and message, and leave the project exactly as it was (nothing written,
 * nothing removed, no temporary file, no lock left behind).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { snapshot, tempProject, unik } from "./helpers.ts";
import { type FileSystem, realFs } from "../lib/write.ts";

const USAGE = 2;
const CONFIG = 3;
const PLUGIN = 4;
const IO = 7;

/** A config made of a header of imports and a body. */
function config(
  body: string,
  imports = "apply, fn, impl, job, key, main, pkg, register, typ",
): string {
  return `import { ${imports} } from "unik";\n${body}\n`;
}

const OK = config(`const app = main("Unikernel.Main", fn(job, job));
export default register("ok", [apply(app, impl("Noop_job", job))]);`);

const KEYS = config(`const port = key({ name: "port", type: "int", default: 80, doc: "Port." });
const mode = key({ name: "mode", type: "enum", values: ["fast", "slow"], default: "fast" });
const app = main("Unikernel.Main", job, { keys: [port, mode] });
export default register("keys", [app]);`);

interface Case {
  /** What is wrong. */
  readonly name: string;
  /** Project files. */
  readonly files: Record<string, string>;
  /** Command line. */
  readonly args: readonly string[];
  /** Expected exit code. */
  readonly code: number;
  /** Expected message (on stderr). */
  readonly message: RegExp;
  /** Environment. */
  readonly env?: Record<string, string>;
  /** File operations (fault injection). */
  readonly fs?: () => FileSystem;
}

/** A file system whose `op` fails from its `after`-th call on, like a full or read-only disk. */
function failing(op: keyof FileSystem, error: () => Error, after = 0): () => FileSystem {
  return () => {
    let calls = 0;
    return {
      ...realFs,
      [op]: (...args: unknown[]) => {
        if (calls++ >= after) return Promise.reject(error());
        return (realFs[op] as (...a: unknown[]) => Promise<unknown>)(...args);
      },
    } as FileSystem;
  };
}

const noSpace = () =>
  Object.assign(new Error("No space left on device (os error 28)"), {
    name: "StorageFull",
  });
const readOnly = () => new Deno.errors.PermissionDenied("Read-only file system (os error 30)");

const CASES: Case[] = [
  // --- config.ts that does not evaluate ---
  {
    name: "a syntax error",
    files: { "config.ts": "export default register(;\n" },
    args: ["configure"],
    code: CONFIG,
    message: /config\.ts:1/,
  },
  {
    name: "an unterminated string",
    files: { "config.ts": 'const s = "open;\n' },
    args: ["configure"],
    code: CONFIG,
    message: /config\.ts/,
  },
  {
    name: "a config that throws",
    files: { "config.ts": config('throw new Error("no way");') },
    args: ["configure"],
    code: CONFIG,
    message: /config\.ts:2:7: Error: no way/,
  },
  {
    name: "a call of something undefined",
    files: { "config.ts": config("(undefined as unknown as () => void)();") },
    args: ["configure"],
    code: CONFIG,
    message: /config\.ts:2.*TypeError/,
  },
  {
    name: "an import of a missing module",
    files: { "config.ts": 'import "./missing.ts";\n' },
    args: ["configure"],
    code: CONFIG,
    message: /missing\.ts/,
  },
  {
    name: "an import of a missing export",
    files: { "config.ts": 'import { nothing } from "unik";\nnothing();\n' },
    args: ["configure"],
    code: CONFIG,
    message: /nothing/,
  },
  {
    name: "no default export",
    files: { "config.ts": config("const x = 1;") },
    args: ["configure"],
    code: CONFIG,
    message: /registers nothing/,
  },
  {
    name: "a default export that is not a registration",
    files: { "config.ts": "export default 42;\n" },
    args: ["configure"],
    code: CONFIG,
    message: /registers nothing/,
  },
  {
    name: "an endless loop",
    files: { "config.ts": "while (true) { /* spin */ }\n" },
    args: ["configure"],
    env: { UNIK_EVAL_TIMEOUT_MS: "300" },
    code: CONFIG,
    message: /took more than 300 ms/,
  },
  {
    name: "a config reading the environment",
    files: { "config.ts": config('Deno.env.get("HOME");') },
    args: ["configure"],
    code: CONFIG,
    message: /not allowed.*env/,
  },
  {
    name: "a config writing a file",
    files: { "config.ts": config('Deno.writeTextFileSync("x.txt", "x");') },
    args: ["configure"],
    code: CONFIG,
    message: /not allowed.*write/,
  },
  {
    name: "a config running a program",
    files: { "config.ts": config('new Deno.Command("true").outputSync();') },
    args: ["configure"],
    code: CONFIG,
    message: /not allowed.*run/,
  },
  {
    name: "a config reading outside the project",
    files: { "config.ts": config('Deno.readTextFileSync("/etc/hostname");') },
    args: ["configure"],
    code: CONFIG,
    message: /not allowed.*read/,
  },
  {
    name: "a config calling a host",
    files: { "config.ts": config('await fetch("http://127.0.0.1:4/");') },
    args: ["configure"],
    code: CONFIG,
    message: /not allowed.*net/,
  },
  // --- graphs that are wrong ---
  {
    name: "a dependency cycle through extra deps",
    files: {
      "config.ts": config(`const deps: any[] = [];
const a = impl("A", job, { extraDeps: deps });
deps.push(a);
export default register("cycle", [apply(main("App.Make", fn(job, job)), a)]);`),
    },
    args: ["configure"],
    code: CONFIG,
    message: /dependency cycle: A -> A/,
  },
  {
    name: "a functor applied to too many arguments",
    files: {
      "config.ts": config(`const app = main("App.Make", fn(job, job));
export default register("x", [(apply as any)(app, impl("A", job), impl("B", job))]);`),
    },
    args: ["configure"],
    code: CONFIG,
    message: /too many arguments|2 arguments|expects 1/,
  },
  {
    name: "a functor applied to a device of the wrong type",
    files: {
      "config.ts": config(`const t = typ("block");
const app = main("App.Make", fn(t, job));
export default register("x", [apply(app, impl("K", typ("kv_ro")) as any)]);`),
    },
    args: ["configure"],
    code: CONFIG,
    message: /config\.ts:4.*block.*kv_ro|kv_ro.*block/,
  },
  {
    name: "a functor registered before it is applied",
    files: {
      "config.ts": config(`const app = main("App.Make", fn(job, job));
export default register("x", [app as any]);`),
    },
    args: ["configure"],
    code: CONFIG,
    message: /job/,
  },
  {
    name: "an empty register name",
    files: { "config.ts": config('export default register("", [main("U", job)]);') },
    args: ["configure"],
    code: CONFIG,
    message: /name/,
  },
  {
    name: "a register name that is not an opam name",
    files: { "config.ts": config('export default register("my app!", [main("U", job)]);') },
    args: ["configure"],
    code: CONFIG,
    message: /my app!/,
  },
  {
    name: "an empty module name",
    files: {
      "config.ts": config(
        'export default register("x", [apply(main("App.Make", fn(job, job)), impl("", job))]);',
      ),
    },
    args: ["configure"],
    code: CONFIG,
    message: /module name cannot be empty/,
  },
  {
    name: "a key name with a space",
    files: {
      "config.ts": config(
        'key({ name: "bad name", type: "string", default: "" });\nexport default register("x", []);',
      ),
    },
    args: ["configure"],
    code: CONFIG,
    message: /invalid key name "bad name"/,
  },
  {
    name: "an empty key name",
    files: {
      "config.ts": config(
        'key({ name: "", type: "string", default: "" });\nexport default register("x", []);',
      ),
    },
    args: ["configure"],
    code: CONFIG,
    message: /key name cannot be the empty string/,
  },
  {
    name: "a key taking a name unik uses",
    files: {
      "config.ts": config(
        'const k = key({ name: "output", type: "string", default: "" });\nexport default register("x", [main("U", job, { keys: [k] })]);',
      ),
    },
    args: ["configure"],
    code: CONFIG,
    message: /key name output is reserved/,
  },
  {
    name: "an enum key whose default is not a value",
    files: {
      "config.ts": config(
        'key({ name: "m", type: "enum", values: ["a"], default: "b" as "a" });\nexport default register("x", []);',
      ),
    },
    args: ["configure"],
    code: CONFIG,
    message: /default of key m/,
  },
  {
    name: "a runtime argument that is no OCaml term",
    files: {
      "config.ts":
        'import { runtimeArg, register } from "unik";\nruntimeArg("");\nexport default register("x", []);\n',
    },
    args: ["configure"],
    code: CONFIG,
    message: /does not name an OCaml term/,
  },
  {
    name: "an invalid opam package name",
    files: { "config.ts": config('pkg("not a package");\nexport default register("x", []);') },
    args: ["configure"],
    code: CONFIG,
    message: /package name "not a package" is invalid/,
  },
  {
    name: "version bounds that cannot both hold",
    files: {
      "config.ts": config(`const a = impl("A", job, { packages: [pkg("lib", { min: "2.0.0" })] });
const b = impl("B", job, { packages: [pkg("lib", { max: "1.0.0" })] });
export default register("x", [apply(main("App.Make", fn(job, job, job)), a, b)]);`),
    },
    args: ["configure"],
    code: CONFIG,
    message: /lib.*2\.0\.0.*1\.0\.0|lib/,
  },
  {
    name: "a package both in the switch and the monorepo",
    files: {
      "config.ts": config(
        `const a = impl("A", job, { packages: [pkg("lib", { scope: "switch" })] });
const b = impl("B", job, { packages: [pkg("lib")] });
export default register("x", [apply(main("App.Make", fn(job, job, job)), a, b)]);`,
      ),
    },
    args: ["configure"],
    code: CONFIG,
    message: /lib/,
  },
  {
    name: "two different pins",
    files: {
      "config.ts": config(
        `const a = impl("A", job, { packages: [pkg("lib", { pin: "git+https://a/lib" })] });
const b = impl("B", job, { packages: [pkg("lib", { pin: "git+https://b/lib" })] });
export default register("x", [apply(main("App.Make", fn(job, job, job)), a, b)]);`,
      ),
    },
    args: ["configure"],
    code: CONFIG,
    message: /pin/,
  },
  {
    name: "a device restricted to other targets",
    files: {
      "config.ts": config(
        'export default register("x", [apply(main("App.Make", fn(job, job)), impl("X", job, { targets: ["xen"] }))]);',
      ),
    },
    args: ["configure", "-t", "unix"],
    code: CONFIG,
    message: /xen/,
  },
  // --- command lines and key values ---
  {
    name: "an unknown target",
    files: { "config.ts": OK },
    args: ["configure", "-t", "amiga"],
    code: USAGE,
    message: /amiga/,
  },
  {
    name: "an unknown target in MODE",
    files: { "config.ts": OK },
    args: ["configure"],
    env: { MODE: "amiga" },
    code: USAGE,
    message: /MODE: invalid target 'amiga'/,
  },
  {
    name: "an ill-typed int key value",
    files: { "config.ts": KEYS },
    args: ["configure", "--port=eighty"],
    code: USAGE,
    message: /eighty/,
  },
  {
    name: "an enum key value that is not a value",
    files: { "config.ts": KEYS },
    args: ["configure", "--mode=medium"],
    code: USAGE,
    message: /medium/,
  },
  {
    name: "an unknown option",
    files: { "config.ts": OK },
    args: ["configure", "--colour"],
    code: USAGE,
    message: /colour/,
  },
  {
    name: "an unknown command",
    files: { "config.ts": OK },
    args: ["confgure"],
    code: USAGE,
    message: /unknown command 'confgure'/,
  },
  {
    name: "an unknown query",
    files: { "config.ts": OK },
    args: ["query", "everything"],
    code: USAGE,
    message: /everything/,
  },
  {
    name: "an unknown help topic",
    files: { "config.ts": OK },
    args: ["help", "cooking"],
    code: USAGE,
    message: /unknown help topic 'cooking'/,
  },
  {
    name: "a malformed --extra-repos",
    files: { "config.ts": OK },
    args: ["configure", "--extra-repos", "nocolon"],
    code: USAGE,
    message: /invalid extra repository argument 'nocolon'/,
  },
  {
    name: "a config file outside the project",
    files: { "config.ts": OK },
    args: ["configure", "-f", "../config.ts"],
    code: USAGE,
    message: /outside the project/,
  },
  {
    name: "a missing config file",
    files: { "other.ts": OK },
    args: ["configure"],
    code: CONFIG,
    message: /configuration file config\.ts missing/,
  },
  {
    name: "a missing --context-file",
    files: { "config.ts": OK },
    args: ["configure", "--context-file", "nope"],
    code: USAGE,
    message: /cannot find the context file/,
  },
  {
    name: "a malformed context file",
    files: { "config.ts": OK, "mirage/context": "{ not json" },
    args: ["configure"],
    code: CONFIG,
    message: /context/,
  },
  {
    name: "a context with an ill-typed key value",
    files: {
      "config.ts": KEYS,
      "mirage/context": JSON.stringify({ keys: { port: "x" }, files: {}, artifacts: [] }),
    },
    args: ["configure"],
    code: CONFIG,
    message: /saved value of key port \("x"\) is not an integer/,
  },
  {
    name: "a bad memory size for run",
    files: { "config.ts": OK },
    args: ["run", "--mem", "lots"],
    code: USAGE,
    message: /--mem=lots: expected a number of MiB/,
  },
  // --- plugins and the lock ---
  {
    name: "a malformed unik.lock",
    files: { "config.ts": 'import "http://127.0.0.1:4/p.ts";\n', "unik.lock": "{" },
    args: ["configure"],
    code: PLUGIN,
    message: /unik\.lock is not valid JSON/,
  },
  {
    name: "an unreachable plugin host",
    files: { "config.ts": 'import "http://127.0.0.1:4/p.ts";\n' },
    args: ["configure"],
    code: PLUGIN,
    message: /cannot download plugin module http:\/\/127\.0\.0\.1:4\/p\.ts/,
  },
  // --- files ---
  {
    name: "a user's file where configure writes",
    files: { "config.ts": OK, "Makefile": "all:\n\techo mine\n" },
    args: ["configure"],
    code: IO,
    message: /refusing to overwrite Makefile: it was not generated by unik/,
  },
  {
    name: "a file where the mirage directory goes",
    files: { "config.ts": OK, "mirage": "not a directory\n" },
    args: ["configure"],
    code: IO,
    message: /mirage/,
  },
  {
    name: "a full disk",
    files: { "config.ts": OK },
    args: ["configure"],
    fs: failing("writeText", noSpace, 3),
    code: IO,
    message: /No space left on device/,
  },
  {
    name: "a read-only project directory",
    files: { "config.ts": OK },
    args: ["configure"],
    fs: failing("writeText", readOnly),
    code: IO,
    message: /Read-only file system/,
  },
  {
    name: "a rename failing half-way through",
    files: { "config.ts": OK },
    args: ["configure"],
    fs: failing("rename", readOnly, 2),
    code: IO,
    message: /Read-only file system/,
  },
  {
    name: "an unreadable output file",
    files: { "config.ts": OK },
    args: ["configure"],
    fs: failing(
      "readText",
      () => new Deno.errors.PermissionDenied("Permission denied (os error 13)"),
    ),
    code: IO,
    message: /Permission denied/,
  },
];

for (const c of CASES) {
  Deno.test(`bad input: ${c.name}`, async () => {
    const dir = await tempProject(c.files);
    const before = await snapshot(dir);
    const r = await unik(dir, c.args, c.env ?? {}, c.fs?.());
    assert.equal(r.code, c.code, `exit code (stderr: ${r.stderr})`);
    assert.match(r.stderr, c.message);
    assert.match(r.stderr, /^(unik|error): /m);
    assert.deepEqual(await snapshot(dir), before, "the project is unchanged");
    await Deno.remove(dir, { recursive: true });
  });
}

Deno.test("the corpus has at least 40 cases", () => {
  assert.ok(CASES.length >= 40, `${CASES.length} cases`);
});

Deno.test("after a failing writer, the next configure succeeds", async () => {
  const dir = await tempProject({ "config.ts": OK });
  const failed = await unik(dir, ["configure"], {}, failing("writeText", noSpace, 3)());
  assert.equal(failed.code, IO);
  const ok = await unik(dir, ["configure"]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.ok((await snapshot(dir)).has("mirage/main.ml"));
  assert.ok(!(await snapshot(dir)).has(join(".unik-lock")));
});
