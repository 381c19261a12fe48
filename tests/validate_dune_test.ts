// dune stanzas a device contributes are read as dune reads them and classified: the shapes the
// standard plugins emit, with arguments inside the project, are inert; anything that could run
// a host command at build time (or that does not parse) is not, and says why.
import assert from "node:assert/strict";
import type { Impl, Info } from "unik";
import {
  classifyStanza,
  classifyStanzaIn,
  DuneSyntaxError,
  parseDune,
} from "../lib/validate/mod.ts";
import { crunch, docteur } from "../plugins/kv.ts";

const info: Info = {
  name: "t",
  target: "unix",
  mainModule: "main",
  configFile: "config.ts",
  get: <T>(k: { name: string }) => (k.name === "disk-output" ? "disk.img" : "docteur") as T,
  blockNumber: () => undefined,
};

/** The dune stanzas of every device reachable from `i` (both branches of a choice). */
function stanzasOf(i: Impl<unknown>): string[] {
  const n = i.node;
  if (n.kind === "dev") return [...(n.device.options.dune?.(info) ?? [])];
  if (n.kind === "app") return stanzasOf(n.head);
  return [...n.branches.flatMap(([, b]) => stanzasOf(b)), ...stanzasOf(n.default)];
}

const CRUNCH = "(rule (targets s.ml s.mli) (deps (source_tree htdocs))" +
  " (action (run ocaml-crunch -o s.ml htdocs)))";

function hostCommand(text: string): string {
  const c = classifyStanza(text);
  assert.equal(c.kind, "host-command", `expected host-command for ${text}`);
  return (c as { reason: string }).reason;
}

Deno.test("the reader returns atoms, decoded strings and nested lists", () => {
  assert.deepEqual(parseDune('(a "b\\n\\"c" (d)) ; comment\ne'), [
    {
      kind: "list",
      offset: 0,
      items: [
        { kind: "atom", text: "a", offset: 1 },
        { kind: "string", value: 'b\n"c', offset: 3 },
        { kind: "list", offset: 12, items: [{ kind: "atom", text: "d", offset: 13 }] },
      ],
    },
    { kind: "atom", text: "e", offset: 27 },
  ]);
});

Deno.test("the reader decodes decimal, hex and line-continuation escapes", () => {
  assert.deepEqual(parseDune('"\\065\\x42\\\n   c"'), [{
    kind: "string",
    value: "ABc",
    offset: 0,
  }]);
});

Deno.test("the reader keeps %{...} variables whole inside atoms", () => {
  assert.deepEqual(parseDune("%{bin:docteur.make}"), [
    { kind: "atom", text: "%{bin:docteur.make}", offset: 0 },
  ]);
});

for (
  const [what, text] of [
    ["an unbalanced '('", "(rule (targets a)"],
    ["an unbalanced ')'", "(rule))"],
    ["an unterminated string", '(run "abc)'],
    ["a raw newline in a string", '(run "a\nb")'],
    ["an unknown escape", '(run "\\q")'],
    ["a block string", '(run "\\| text")'],
    ["a block comment", "#| x |# (rule)"],
    ["an s-expression comment", "#;(rule) (rule)"],
    ["an unterminated variable", "(run %{bin:x)"],
    ["a non-ASCII atom", "(run caf\u00e9)"],
    ["a control character in an atom", "(run a\u0001b)"],
  ] as const
) {
  Deno.test(`the reader refuses ${what}`, () => {
    assert.throws(() => parseDune(text), DuneSyntaxError);
    assert.match(hostCommand(text), /unparseable/);
  });
}

Deno.test("every dune stanza the standard crunch plugin emits is inert", () => {
  for (const dir of ["htdocs", "t/data", "./static", "a-b_c.d"]) {
    const [stanza] = stanzasOf(crunch(dir));
    assert.deepEqual(classifyStanza(stanza), { kind: "inert" }, stanza);
  }
});

Deno.test("the standard docteur plugin's image rules are inert for project directories", () => {
  const stanzas = [
    ...stanzasOf(docteur("relativize://data")),
    ...stanzasOf(docteur("https://github.com/x/y.git", { branch: "main" })),
    ...stanzasOf(docteur("relativize://data", { extraDeps: ["(source_tree more)", "a.txt"] })),
  ];
  assert.ok(stanzas.length >= 3);
  for (const s of stanzas) assert.deepEqual(classifyStanza(s), { kind: "inert" }, s);
});

Deno.test("several inert stanzas in one text are inert", () => {
  assert.deepEqual(classifyStanza(`${CRUNCH}\n\n${CRUNCH}`), { kind: "inert" });
});

Deno.test("a docteur image read from file:// (outside the project) is not inert", () => {
  const [stanza] = stanzasOf(docteur("file://host/etc"));
  assert.match(hostCommand(stanza), /absolute|outside the project/);
});

for (
  const [what, text, reason] of [
    ["an action (system ...)", '(rule (targets a) (action (system "touch /tmp/x")))', /system/],
    ["an action (bash ...)", '(rule (targets a) (action (bash "id")))', /bash/],
    ["a progn", "(rule (targets a) (action (progn (run ocaml-crunch -o a d))))", /progn/],
    ["a run of another program", "(rule (targets a) (action (run sh -c id)))", /sh/],
    ["a run of %{bin:...}", "(rule (targets a) (action (run %{bin:curl} x)))", /curl/],
    [
      "%{make} bound to another tool",
      "(rule (targets a) (deps (:make %{bin:bash})) (action (run %{make} relativize://d a)))",
      /docteur\.make/,
    ],
    ["promotion into the source tree", CRUNCH.replace("(rule", "(rule (mode promote)"), /mode/],
    [
      "a crunched directory outside",
      CRUNCH.replace("-o s.ml htdocs", "-o s.ml ../../secret"),
      /leaves/,
    ],
    [
      "an absolute crunched directory",
      CRUNCH.replace("-o s.ml htdocs", "-o s.ml /etc"),
      /absolute/,
    ],
    [
      "a dependency outside",
      CRUNCH.replace("(source_tree htdocs)", "(source_tree ../x)"),
      /leaves/,
    ],
    ["a target in another directory", CRUNCH.replace("s.ml s.mli", "../s.ml s.mli"), /target/],
    ["an output that is not a target", CRUNCH.replace("-o s.ml", "-o t.ml"), /not a target/],
    [
      "a variable in an argument",
      CRUNCH.replace("-o s.ml htdocs", "-o s.ml %{read:x}"),
      /variable/,
    ],
    ["a crunch option other than -o", CRUNCH.replace("-o s.ml htdocs", "-m s.ml htdocs"), /-o/],
    ["an alias stanza", "(alias (name default) (action (run ocaml-crunch -o a b)))", /alias/],
    ["an executable stanza", "(executable (name x))", /executable/],
    ["a top-level atom", "rule", /rule/],
    ["an extra rule field", CRUNCH.replace("(rule", "(rule (locks x)"), /locks/],
    ["a repeated field", CRUNCH.replace("(rule", "(rule (targets x)"), /twice/],
    ["empty text", " ; nothing\n", /no dune stanza/],
    [
      "an inert stanza followed by a system one",
      `${CRUNCH} (rule (targets b) (action (system "id")))`,
      /system/,
    ],
  ] as const
) {
  Deno.test(`${what} is a host command`, () => {
    assert.match(hostCommand(text), reason);
  });
}

Deno.test("a stanza one directory deep may read one level up, no further", () => {
  const up = CRUNCH.replace("-o s.ml htdocs", "-o s.ml ../htdocs");
  assert.deepEqual(classifyStanzaIn(up, { up: 1 }), { kind: "inert" });
  assert.equal(classifyStanzaIn(up, { up: 0 }).kind, "host-command");
  assert.equal(classifyStanzaIn(up.replace("../", "../../"), { up: 1 }).kind, "host-command");
  assert.equal(classifyStanzaIn(up, { up: Number.NaN }).kind, "host-command");
});
