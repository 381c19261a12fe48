// The mirage-skeleton examples written as config.ts: each configures for unix and hvt, and its
// main.ml passes the OCaml parser.
import assert from "node:assert/strict";
import { join } from "node:path";
import { copyOf, ocamlParses, REPO, unik } from "./helpers.ts";

const EXAMPLES = [
  "hello",
  "hello-key",
  "noop",
  "block",
  "kv_ro",
  "littlefs",
  "network",
  "ping6",
  "conduit_server",
  "http-fetch",
  "static_website_tls",
  "dns",
  "http",
  "git",
  "docteur",
  "dhcp",
  "app_info",
];

Deno.test("every example of the list is in examples/", async () => {
  const dirs = [];
  for await (const e of Deno.readDir(join(REPO, "examples"))) if (e.isDirectory) dirs.push(e.name);
  assert.deepEqual(dirs.sort(), [...EXAMPLES].sort());
});

for (const example of EXAMPLES) {
  for (const target of ["unix", "hvt"]) {
    Deno.test(`examples/${example} configures for ${target}`, async () => {
      const dir = await copyOf(`examples/${example}`);
      const r = await unik(dir, ["configure", "-t", target]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(await ocamlParses(join(dir, "mirage/main.ml")), undefined);
    });
  }
}
