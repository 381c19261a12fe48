/** Finding and rewriting the imports of plugin sources, and hashing module graphs. */

import assert from "node:assert/strict";
import { rewriteImports, scanImports } from "../lib/plugins/imports.ts";
import { graphIntegrity } from "../lib/plugins/hash.ts";
import { moduleDependencies } from "../lib/plugins/resolve.ts";
import { parseRegistry } from "../lib/plugins/registry.ts";
import { parseLock, showLock } from "../lib/plugins/lock.ts";
import { tempProject, unik } from "./helpers.ts";

Deno.test("scanImports finds static, re-export, side-effect and literal dynamic imports", () => {
  const source = `import { a } from "./a.ts";
import type { T } from './t.ts';
export * from "https://x.example/b.ts";
import "unik";
const m = await import("./dyn.ts");
`;
  assert.deepEqual(
    scanImports(source).map((s) => [s.specifier, s.line]),
    [["./a.ts", 1], ["./t.ts", 2], ["https://x.example/b.ts", 3], ["unik", 4], ["./dyn.ts", 5]],
  );
});

Deno.test("scanImports ignores imports inside comments", () => {
  const source = `// import { a } from "./commented.ts";
/* import "./block.ts"; */
const url = "http://not-an-import.example/x.ts";
import { b } from "./real.ts";
`;
  assert.deepEqual(scanImports(source).map((s) => s.specifier), ["./real.ts"]);
});

Deno.test("rewriteImports replaces specifiers and keeps every line in place", () => {
  const source = `import { a } from "./a.ts";\nimport "unik";\nexport const x = 1;\n`;
  const out = rewriteImports(
    source,
    scanImports(source),
    (s) => s === "./a.ts" ? "blob:null/1" : undefined,
  );
  assert.equal(out, `import { a } from "blob:null/1";\nimport "unik";\nexport const x = 1;\n`);
});

Deno.test("a plugin may not import npm:, jsr: or bare specifiers", () => {
  assert.throws(
    () => moduleDependencies("http://h/p.ts", "http://h/p.ts", `import x from "npm:left-pad";`),
    /plugin http:\/\/h\/p\.ts imports "npm:left-pad" \(http:\/\/h\/p\.ts:1\), which unik cannot verify/,
  );
  assert.deepEqual(
    moduleDependencies(
      "http://h/p.ts",
      "http://h/p.ts",
      `import "./q.ts#frag"; import "node:path";`,
    ),
    ["http://h/q.ts"],
  );
});

Deno.test("a plugin's integrity does not depend on the host serving it", async () => {
  const a = await graphIntegrity("http://a.example/p/mod.ts", {
    "http://a.example/p/mod.ts": "1".repeat(64),
    "http://a.example/p/util.ts": "2".repeat(64),
  });
  const b = await graphIntegrity("https://mirror.example/x/y/mod.ts", {
    "https://mirror.example/x/y/util.ts": "2".repeat(64),
    "https://mirror.example/x/y/mod.ts": "1".repeat(64),
  });
  assert.equal(a, b);
  assert.match(a, /^sha256-[0-9a-f]{64}$/);
});

Deno.test("registry module URLs resolve against the index and hashes are normalised", () => {
  const versions = parseRegistry(
    `registry: 1
plugins:
  - name: led
    versions:
      - version: 1.0.0
        url: led/mod.ts
        sha256: "${"a".repeat(64)}"
`,
    "http://127.0.0.1:1/reg/index.yaml",
  );
  assert.equal(versions[0].url, "http://127.0.0.1:1/reg/led/mod.ts");
  assert.equal(versions[0].integrity, `sha256-${"a".repeat(64)}`);
});

Deno.test("a registry version without a hash is refused unless it is a standard plugin", () => {
  const yaml = (url: string) =>
    `registry: 1\nplugins:\n  - name: x\n    versions:\n      - version: 1.0.0\n        url: ${url}\n`;
  assert.throws(() => parseRegistry(yaml("x.ts"), "file:///r.yaml"), /has no sha256 for/);
  assert.equal(
    parseRegistry(yaml("unik/plugins/kv.ts"), "file:///r.yaml")[0].url,
    "unik/plugins/kv.ts",
  );
});

Deno.test("the lock is written with sorted keys so that it diffs well", () => {
  const lock = parseLock(
    JSON.stringify({
      version: 1,
      plugins: {
        "http://b/p.ts": {
          integrity: `sha256-${"b".repeat(64)}`,
          modules: { "http://b/p.ts": "b".repeat(64) },
        },
        "http://a/p.ts": {
          integrity: `sha256-${"a".repeat(64)}`,
          modules: { "http://a/p.ts": "a".repeat(64) },
        },
      },
    }),
    "unik.lock",
  );
  const text = showLock(lock);
  assert.ok(text.indexOf("http://a/p.ts") < text.indexOf("http://b/p.ts"));
  assert.ok(text.endsWith("}\n"));
});

Deno.test("a module that imports by URL behind config.ts's back is refused by the sandbox", async () => {
  const dir = await tempProject({
    "config.ts":
      `import { register } from "unik";\nimport "./helper.ts";\nexport default register("t", []);\n`,
    "helper.ts": `import "http://127.0.0.1:9/sneaky.ts";\n`,
  });
  const r = await unik(dir, ["configure", "-t", "unix"]);
  assert.equal(r.code, 3);
  assert.match(
    r.stderr,
    /helper\.ts:1: import "http:\/\/127\.0\.0\.1:9\/sneaky\.ts" is not allowed/,
  );
  assert.match(r.stderr, /plugins are imported by URL from config\.ts itself/);
});

Deno.test("the default registry lists exactly the standard plugin families", async () => {
  const { DEFAULT_REGISTRY } = await import("../lib/plugins/registry.ts");
  const listed = parseRegistry(await Deno.readTextFile(new URL(DEFAULT_REGISTRY)), DEFAULT_REGISTRY)
    .map((v) => v.url).sort();
  const files = [];
  for await (const e of Deno.readDir(new URL("../plugins/", import.meta.url))) {
    if (e.name.endsWith(".ts")) files.push(`unik/plugins/${e.name}`);
  }
  assert.deepEqual(listed, files.sort());
});
