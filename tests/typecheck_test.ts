// config.ts is type-checked by Deno: a functor applied to a device of the wrong type, in the
// wrong order, or to too many arguments is a compile error at the application.
import assert from "node:assert/strict";
import { join } from "node:path";
import { REPO } from "./helpers.ts";

const FIXTURE = join(REPO, "tests/fixtures/typecheck/applications.ts");

async function denoCheck(file: string) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["check", "--config", join(REPO, "deno.json"), file],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { success: out.success, text: new TextDecoder().decode(out.stderr) };
}

Deno.test("deno check rejects every wrong application of the fixture, and only those", async () => {
  const r = await denoCheck(FIXTURE);
  assert.ok(r.success, r.text);
});

Deno.test("without the expect-error markers, each wrong application is an error at its line", async () => {
  const source = await Deno.readTextFile(FIXTURE);
  const expected = source.split("\n").flatMap((
    l,
    i,
  ) => (l.trimStart().startsWith("// @ts-expect-error") ? [i + 2] : []));
  const dir = await Deno.makeTempDir();
  const stripped = join(dir, "stripped.ts");
  await Deno.writeTextFile(stripped, source.replaceAll("// @ts-expect-error", "//"));
  const r = await denoCheck(stripped);
  assert.ok(!r.success);
  const lines = [...r.text.matchAll(/stripped\.ts:(\d+):\d+/g)].map((m) => Number(m[1]));
  assert.deepEqual([...new Set(lines)].sort((a, b) => a - b), expected);
});
