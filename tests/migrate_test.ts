// unik migrate: config.ml files written as mirage 4.9 users write them become config.ts files
// that configure to the same files as the hand-written ones, for unix and hvt.
import assert from "node:assert/strict";
import { join } from "node:path";
import { assertGolden, REPO, snapshot, tempProject, unik } from "./helpers.ts";
import { migrateSource } from "../lib/migrate/mod.ts";
import { GROUP_KEYS, libName, ocamlNames, specifier } from "../lib/migrate/names.ts";
import { targetOfContext } from "../lib/commands/migrate.ts";

const EXAMPLES = [
  "app_info",
  "block",
  "conduit_server",
  "dhcp",
  "dns",
  "docteur",
  "git",
  "hello",
  "hello-key",
  "http",
  "http-fetch",
  "kv_ro",
  "littlefs",
  "network",
  "noop",
  "ping6",
  "static_website_tls",
];

/**
 * The generated files of a project, comparable across two config.ts files that describe the
 * same unikernel. Two files name the config file itself and are compared without that:
 * mirage/main.ml holds `# LINE "config.ts"` directives (the lines of the devices in config.ts,
 * which differ between a hand-written and a migrated file), and mirage/context records the
 * hash of that main.ml.
 */
async function generated(dir: string, before: ReadonlySet<string>): Promise<Map<string, string>> {
  const files = await snapshot(dir);
  for (const f of before) files.delete(f);
  const main = files.get("mirage/main.ml");
  if (main !== undefined) {
    files.set("mirage/main.ml", main.replace(/^# \d+ "config\.ts"$/gm, '# LINE "config.ts"'));
  }
  const context = files.get("mirage/context");
  if (context !== undefined) {
    const parsed = JSON.parse(context);
    delete parsed.files["mirage/main.ml"];
    files.set("mirage/context", JSON.stringify(parsed, null, 2));
  }
  return files;
}

/** A config.ml of the corpus and the hand-written config.ts it must configure like. */
interface Case {
  /** The test's name. */
  readonly name: string;
  /** The directory of config.ml, in the repository. */
  readonly ml: string;
  /** The directory of the expected config.ts, in the repository. */
  readonly ts: string;
}

const CONSTRUCTS = [
  "devices",
  "functions",
  "keys",
  "literals",
  "operators",
  "packages",
  "records",
  "register_options",
  "runtime_args",
];

const CASES: Case[] = [
  ...EXAMPLES.map((e) => ({
    name: `examples/${e}`,
    ml: `tests/fixtures/migrate/examples/${e}`,
    ts: `examples/${e}`,
  })),
  ...CONSTRUCTS.map((c) => ({
    name: `constructs/${c}`,
    ml: `tests/fixtures/migrate/constructs/${c}`,
    ts: `tests/fixtures/migrate/constructs/${c}`,
  })),
];

/** A temporary project holding the case's config.ml, migrated (not configured). */
async function migrated(c: Case): Promise<string> {
  const ml = await Deno.readTextFile(join(REPO, c.ml, "config.ml"));
  const dir = await tempProject({ "config.ml": ml });
  const r = await unik(dir, ["migrate", "--no-configure"]);
  assert.equal(r.code, 0, r.stderr);
  return dir;
}

/** A temporary project holding only the case's expected config.ts. */
async function expectedProject(c: Case): Promise<string> {
  return await tempProject({ "config.ts": await Deno.readTextFile(join(REPO, c.ts, "config.ts")) });
}

Deno.test("the corpus has a config.ml for every example", async () => {
  const dirs = [];
  for await (const e of Deno.readDir(join(REPO, "examples"))) if (e.isDirectory) dirs.push(e.name);
  assert.deepEqual(dirs.sort(), [...EXAMPLES].sort());
});

for (const c of CASES) {
  for (const target of ["unix", "hvt"]) {
    Deno.test(`${c.name}: the migrated config.ml configures like config.ts for ${target}`, async () => {
      const hand = await expectedProject(c);
      const fromMl = await migrated(c);
      const handFiles = new Set((await snapshot(hand)).keys());
      const mlFiles = new Set((await snapshot(fromMl)).keys());
      const a = await unik(hand, ["configure", "-t", target]);
      assert.equal(a.code, 0, a.stderr);
      const b = await unik(fromMl, ["configure", "-t", target]);
      assert.equal(b.code, 0, b.stderr);
      const expected = await generated(hand, handFiles);
      const actual = await generated(fromMl, mlFiles);
      assert.deepEqual([...actual.keys()], [...expected.keys()]);
      for (const [path, text] of expected) assert.equal(actual.get(path), text, path);
    });
  }

  Deno.test(`${c.name}: the migrated config.ts is left as it is by deno fmt`, async () => {
    const dir = await migrated(c);
    const text = await Deno.readTextFile(join(dir, "config.ts"));
    const fmt = new Deno.Command(Deno.execPath(), {
      args: ["fmt", "--no-config", "--ext", "ts", "-"],
      cwd: dir,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const writer = fmt.stdin.getWriter();
    await writer.write(new TextEncoder().encode(text));
    await writer.close();
    const out = await fmt.output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    assert.equal(text, new TextDecoder().decode(out.stdout));
  });

  Deno.test(`${c.name}: the migrated config.ts reads as reviewed`, async () => {
    const dir = await migrated(c);
    const golden = `migrate/${c.name.replace("/", "-")}.config.ts.txt`;
    await assertGolden(golden, await Deno.readTextFile(join(dir, "config.ts")));
  });
}

/** A project holding only `config.ml`, and the list of its files after `unik migrate ARGS`. */
async function migrateText(
  ml: string,
  args: readonly string[] = [],
  extra: Record<string, string> = {},
) {
  const dir = await tempProject({ "config.ml": ml, ...extra });
  const r = await unik(dir, ["migrate", ...args]);
  return { dir, r, files: [...(await snapshot(dir)).keys()] };
}

const HELLO = `open Mirage
let main = main "Unikernel" job ~packages:[ package "duration" ]
let () = register "hello" [ main ]
`;

Deno.test("migrate writes config.ts next to config.ml and configures it", async () => {
  const { r, files } = await migrateText(HELLO);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Wrote config\.ts from config\.ml\./);
  assert.match(r.stdout, /Successfully configured the unikernel/);
  assert.ok(files.includes("config.ts") && files.includes("mirage/main.ml"));
});

Deno.test("migrate configures with the target of mirage's own mirage/context", async () => {
  const { dir, r } = await migrateText(HELLO, [], { "mirage/context": "configure\n-t\nhvt\n" });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /unik configure -t hvt \(the target of mirage\/context\)/);
  assert.equal(JSON.parse(await Deno.readTextFile(join(dir, "mirage/context"))).keys.target, "hvt");
  await Deno.stat(join(dir, "mirage/hello-hvt.opam"));
});

Deno.test("migrate --stdout prints config.ts and writes nothing", async () => {
  const { r, files } = await migrateText(HELLO, ["--stdout"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^import \{ job, main as unikMain, pkg, register \} from "unik";\n/);
  assert.deepEqual(files, ["config.ml"]);
});

Deno.test("migrate refuses to overwrite an existing config.ts", async () => {
  const { dir, r, files } = await migrateText(HELLO, [], { "config.ts": "// mine\n" });
  assert.equal(r.code, 7);
  assert.match(r.stderr, /config\.ts already exists: unik migrate does not overwrite it/);
  assert.equal(await Deno.readTextFile(join(dir, "config.ts")), "// mine\n");
  assert.deepEqual(files, ["config.ml", "config.ts"]);
});

Deno.test("migrate without config.ml says so", async () => {
  const dir = await tempProject({});
  const r = await unik(dir, ["migrate"]);
  assert.equal(r.code, 3);
  assert.match(r.stderr, /configuration file config\.ml missing/);
});

Deno.test("migrate reads the config.ml it is given and writes config.ts beside it", async () => {
  const dir = await tempProject({ "app/config.ml": HELLO });
  const r = await unik(dir, ["migrate", "app/config.ml"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Wrote app\/config\.ts from app\/config\.ml\./);
  await Deno.stat(join(dir, "app/mirage/main.ml"));
});

/** Untranslatable config.ml files: the position and message of their first error. */
const UNTRANSLATABLE: [string, string, RegExp][] = [
  [
    "printing at configure time",
    'open Mirage\nlet () = Printf.printf "configuring\\n"\nlet () = register "x" []\n',
    /config\.ml:2:10: let \(\) = \.\.\. runs code at configure time/,
  ],
  [
    "reading the environment",
    'open Mirage\nlet name = Sys.getenv "NAME"\nlet () = register name []\n',
    /config\.ml:2:12: Sys\.getenv runs I\/O at configure time[^]*use a configure key/,
  ],
  [
    "I/O inside an expression",
    'open Mirage\nlet n = String.length (read_line ())\nlet () = register "x" []\n',
    /config\.ml:2:\d+: (unknown combinator String\.length|read_line runs I\/O)/,
  ],
  [
    "a module defined in config.ml",
    'open Mirage\nmodule M = struct let x = 1 end\nlet () = register "x" []\n',
    /config\.ml:2:1: a module or functor definition cannot be translated/,
  ],
  [
    "a functor defined in config.ml",
    'open Mirage\nmodule F (X : sig end) = struct end\nlet () = register "x" []\n',
    /config\.ml:2:1: a module or functor definition cannot be translated/,
  ],
  [
    "a combinator mirage 4.9 removed",
    'open Mirage\nlet main = main "U.Main" (pclock @-> job)\nlet () = register "x" [ main $ default_posix_clock ]\n',
    /config\.ml:2:27: pclock was removed in mirage 4\.9[^]*\(drop it from the functor's arguments/,
  ],
  [
    "an unknown combinator",
    'open Mirage\nlet s = my_stack default_network\nlet () = register "x" []\n',
    /config\.ml:2:9: unknown combinator my_stack: unik has no equivalent/,
  ],
  [
    "a config for another mirage version",
    '(* mirage >= 4.4.0 & < 4.5.0 *)\nopen Mirage\nlet () = register "x" []\n',
    /config\.ml:1:1: this config\.ml is for mirage >= 4\.4\.0 & < 4\.5\.0/,
  ],
  [
    "a syntax error",
    'open Mirage\nlet x = [ 1; 2\nlet () = register "x" []\n',
    /config\.ml:3:1: syntax error: expected ';' or '\]', found 'let'/,
  ],
  [
    "no register",
    'open Mirage\nlet main = main "Unikernel" job\n',
    /config\.ml:2:1: config\.ml registers no unikernel/,
  ],
];

for (const [what, ml, error] of UNTRANSLATABLE) {
  Deno.test(`migrate reports ${what} with its position and writes nothing`, async () => {
    const { r, files } = await migrateText(ml);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, error);
    assert.deepEqual(files, ["config.ml"]);
  });
}

Deno.test("migrate lists every untranslatable part, not only the first", async () => {
  const ml = 'open Mirage\nlet a = foo 1\nlet b = bar 2\nlet () = register "x" []\n';
  const { r } = await migrateText(ml);
  assert.equal(r.code, 3);
  assert.match(
    r.stderr,
    /config\.ml:2:9: unknown combinator foo[^]*config\.ml:3:9: unknown combinator bar/,
  );
});

Deno.test("migrate --force-partial writes the rest, and configure fails on the untranslated part", async () => {
  const ml =
    'open Mirage\nlet name = Sys.getenv "NAME"\nlet main = main "Unikernel" job\nlet () = register name [ main ]\n';
  const { dir, r, files } = await migrateText(ml, ["--force-partial"]);
  assert.equal(r.code, 3);
  assert.match(r.stderr, /warning: config\.ml:2:12: Sys\.getenv runs I\/O/);
  assert.match(r.stderr, /not translated from config\.ml: config\.ml:2:12: Sys\.getenv/);
  const text = await Deno.readTextFile(join(dir, "config.ts"));
  assert.match(text, /const name = untranslated\(\s*"config\.ml:2:12: Sys\.getenv/);
  assert.match(text, /const main = unikMain\("Unikernel", job\);/);
  assert.ok(!files.includes("mirage/main.ml"));
});

Deno.test("unik help migrate describes its options", async () => {
  const dir = await tempProject({});
  const r = await unik(dir, ["help", "migrate"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /--force-partial/);
  assert.match(r.stdout, /--stdout/);
});

Deno.test("a comment stays above the binding it precedes", () => {
  const { text } = migrateSource(
    'open Mirage\n\n(* The disk.\n   Two lines. *)\nlet img = block_of_file "disk.img"\nlet () = register "x" []\n',
  );
  assert.match(
    text,
    /\n\/\/ The disk\.\n\/\/ Two lines\.\nconst img = blockOfFile\("disk\.img"\);\n/,
  );
});

Deno.test("a line separator inside a comment cannot end the // comment early", () => {
  const { text } = migrateSource(
    'open Mirage\n(* a\u2028Deno.exit(1) *)\nlet () = register "x" []\n',
  );
  assert.match(text, /^\/\/ a\n\/\/ Deno\.exit\(1\)\n/m);
  assert.doesNotMatch(text, /\u2028/);
});

Deno.test("strings with quotes, backslashes and ${ stay strings in config.ts", async () => {
  const ml = 'open Mirage\nlet main = main "Unikernel" job ~packages:[ package "a" ]\n' +
    'let s = "say \\"${x}\\" \\\\ `b`"\nlet () = register s [ main ]\n';
  const { text, errors } = migrateSource(ml);
  assert.deepEqual(errors, []);
  assert.match(text, /const s = 'say "\$\{x\}" \\\\ `b`';/);
  const dir = await tempProject({ "config.ml": ml });
  const r = await unik(dir, ["migrate", "--no-configure"]);
  assert.equal(r.code, 0, r.stderr);
});

Deno.test("a binding named like a TypeScript keyword gets a trailing _", () => {
  const { text, errors } = migrateSource(
    'open Mirage\nlet default = default_network\nlet main = main "M" (network @-> job)\nlet () = register "x" [ main $ default ]\n',
  );
  assert.deepEqual(errors, []);
  assert.match(text, /const default_ = defaultNetwork;/);
  assert.match(text, /apply\(main, default_\)/);
});

Deno.test("a rebound name gets a numbered name, and later uses see the new binding", () => {
  const { text } = migrateSource(
    "open Mirage\nlet s = generic_stackv4v6 default_network\nlet s = tcpv4v6_of_stackv4v6 s\n" +
      'let main = main "M" (tcpv4v6 @-> job)\nlet () = register "x" [ main $ s ]\n',
  );
  assert.match(text, /const s2 = tcpv4v6OfStackv4v6\(s\);/);
  assert.match(text, /apply\(main, s2\)/);
});

/** Constructs inside otherwise good config.ml files that have no translation. */
const BAD_EXPRESSIONS: [string, string, RegExp][] = [
  [
    "a label a function does not take",
    "let f ~a x = x\nlet v = f ~b:1 default_network",
    /2:11: f has no parameter ~b/,
  ],
  [
    "a partial application",
    "let f a b = a\nlet v = f default_network",
    /2:9: f takes 2 argument\(s\) here but is given 1/,
  ],
  ["an unknown constructor", "let v = Foo", /1:9: unknown constructor Foo/],
  [
    "a format conversion other than %s and %d",
    'let v = Fmt.str "%a" pp',
    /1:17: the conversion %a cannot be translated/,
  ],
  [
    "a boot-time key made with Key.create",
    'let k = Key.(create "k" Arg.(opt ~stage:`Run int 1 (info [ "k" ])))',
    /1:34: a key of ~stage:`Run is a boot argument/,
  ],
  [
    "a build hook of impl",
    'let d = impl ~dune:(fun _ -> []) "M" job',
    /1:14: impl's ~dune hook cannot be translated/,
  ],
  ["a recursive function", "let rec f x = f x", /1:1: recursive definitions \(let rec\)/],
  ["a match guard", "let f x = match x with Some y when y -> 1 | _ -> 2", /1:36: match guards/],
  [
    "an integer too large for TypeScript",
    "let v = 0x7fffffffffffffffL",
    /1:9: the integer 0x7fffffffffffffffL is larger/,
  ],
];

for (const [what, line, error] of BAD_EXPRESSIONS) {
  Deno.test(`migrate reports ${what} with its position`, () => {
    const { errors } = migrateSource(`${line}\nlet () = Mirage.register "x" []\n`);
    assert.ok(errors.length > 0, "no error");
    assert.match(`${errors[0].line}:${errors[0].col}: ${errors[0].message}`, error);
  });
}

Deno.test("the target of mirage's context is read from its -t, --target and -t<name> forms", () => {
  assert.equal(targetOfContext("configure\n-t\nhvt\n"), "hvt");
  assert.equal(targetOfContext("configure\n--target=xen\n"), "xen");
  assert.equal(targetOfContext("configure\n-tspt\n--kv_ro=direct\n"), "spt");
  assert.equal(targetOfContext('{ "keys": { "target": "virtio" } }'), "virtio");
  assert.equal(targetOfContext("configure\n--file=config.ml\n"), undefined);
});

Deno.test("a target in mirage's context that is not a target name is ignored", () => {
  assert.equal(targetOfContext("configure\n-t\n--dry-run\n"), undefined);
  assert.equal(targetOfContext("configure\n-t\nhvt; rm -rf /\n"), undefined);
});

Deno.test("the output follows the fmt.lineWidth of the project's deno.json", async () => {
  const ml =
    'open Mirage\nlet main = main "Unikernel.Main" ~packages:[ package "a-long-package-name" ] (block @-> job)\nlet () = register "x" []\n';
  const narrow = await migrateText(ml, ["--stdout"]);
  const wide = await migrateText(ml, ["--stdout"], {
    "deno.json": '{ "fmt": { "lineWidth": 120 } }',
  });
  assert.match(narrow.r.stdout, /const main = unikMain\("Unikernel.Main", fn\(block, job\), \{\n/);
  assert.match(
    wide.r.stdout,
    /const main = unikMain\("Unikernel.Main", fn\(block, job\), \{ packages: \[pkg\("a-long-package-name"\)\] \}\);/,
  );
});

Deno.test("every unik name the translator knows is exported where it says", async () => {
  for (const ocaml of ocamlNames()) {
    const lib = libName(ocaml)!;
    const mod = lib.from === "unik"
      ? await import("../lib/mod.ts")
      : await import(`../plugins/${lib.from}.ts`);
    assert.ok(lib.name in mod, `${ocaml}: ${lib.name} is not exported by ${specifier(lib.from)}`);
  }
  for (const { name, from } of Object.values(GROUP_KEYS)) {
    assert.ok(name in await import(`../plugins/${from}.ts`), `${name} in ${from}`);
  }
});

Deno.test("flag, list and optional keys become key({...}) of their kind", () => {
  const { text, errors } = migrateSource(`open Mirage
let verbose =
  let doc = Key.Arg.info ~doc:"Log more." ~env:"VERBOSE" [ "v"; "verbose" ] in
  Key.(create "verbose" Arg.(flag doc))
let hosts = Key.(create "hosts" Arg.(opt (list string) [ "a" ] (info [ "hosts" ])))
let name = Key.(create "name" Arg.(opt (some string) None (info [ "name" ])))
let () = register "x" [ main ~keys:[ Key.v verbose; Key.v hosts; Key.v name ] "U" job ]
`);
  assert.deepEqual(errors, []);
  const verbose = [
    "const verbose = key({",
    '  name: "verbose",',
    '  type: "flag",',
    '  doc: "Log more.",',
    '  env: "VERBOSE",',
    '  short: "v",',
    "});",
  ].join("\n");
  assert.ok(text.includes(verbose), text);
  assert.match(text, /const hosts = key\(\{ name: "hosts", type: "list", default: \["a"\] \}\);/);
  assert.match(text, /const name = key\(\{ name: "name", type: "string", optional: true \}\);/);
  assert.match(text, /\{ keys: \[verbose, hosts, name\] \}/);
});

Deno.test("a match on an option is a conditional, its Some case naming the option itself", () => {
  const { text, errors } = migrateSource(`open Mirage
let store ?path () =
  let args = match path with None -> [] | Some p -> [ Runtime_arg.v p ] in
  impl ~runtime_args:args "Store" kv_ro
let () = register "x" [ main "U.Main" (kv_ro @-> job) $ store () ]
`);
  assert.deepEqual(errors, []);
  const store =
    "function store({ path } = {}) {\n  const args = path === undefined ? [] : [path];\n";
  assert.ok(text.includes(store), text);
  assert.match(text, /\[apply\(main\("U\.Main", fn\(kvRo, job\)\), store\(\)\)\]/);
});

Deno.test("migrate over a project mirage configured says how to clear mirage's files", async () => {
  const makefile = "# Generated by mirage.4.9.0\n\nall::\n";
  const { dir, r } = await migrateText(HELLO, [], {
    "mirage/context": "configure\n-t\nunix\n",
    "Makefile": makefile,
    "mirage/main.ml": "open Lwt.Infix\n",
  });
  assert.equal(r.code, 7);
  assert.match(r.stderr, /refusing to overwrite mirage\/main\.ml/);
  assert.match(r.stderr, /hint: mirage configured this project before: 'mirage clean' removes/);
  await Deno.stat(join(dir, "config.ts"));
  assert.equal(await Deno.readTextFile(join(dir, "Makefile")), makefile);
});

for (const example of ["http", "littlefs"]) {
  Deno.test(`examples/${example}: the migrated config.ts type-checks`, async () => {
    const dir = await migrated(CASES.find((c) => c.name === `examples/${example}`)!);
    const r = await unik(dir, ["check"]);
    assert.equal(r.code, 0, r.stderr);
  });
}

Deno.test("migrate of a config.ml outside the working directory configures it in its own", async () => {
  const root = await tempProject({ "elsewhere/config.ml": HELLO, "here/.keep": "" });
  const r = await unik(join(root, "here"), ["migrate", "../elsewhere/config.ml"]);
  assert.equal(r.code, 0, r.stderr);
  await Deno.stat(join(root, "elsewhere/config.ts"));
  await Deno.stat(join(root, "elsewhere/mirage/main.ml"));
  assert.deepEqual([...(await snapshot(join(root, "here"))).keys()], [".keep"]);
});

Deno.test("migrate does not write through a config.ts symlink to a file outside the project", async () => {
  const outside = await Deno.makeTempDir({ prefix: "unik-victim-" });
  const victim = join(outside, "victim.ts");
  const dir = await tempProject({ "config.ml": HELLO });
  await Deno.symlink(victim, join(dir, "config.ts"));
  const r = await unik(dir, ["migrate"]);
  assert.equal(r.code, 7);
  assert.match(r.stderr, /config\.ts already exists/);
  await assert.rejects(Deno.stat(victim), Deno.errors.NotFound);
});
