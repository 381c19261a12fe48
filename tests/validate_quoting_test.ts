// Free text that reaches a shell, make or opam is quoted so that each tool reads back exactly
// the words unik meant: checked by running the real sh and make on the quoted text.
import assert from "node:assert/strict";
import {
  makeRecipeCommand,
  opamShellCommand,
  opamString,
  shellCommand,
  shellQuote,
} from "../lib/validate/mod.ts";

/** Where the hostile words below would write if they ever ran (outside the repository). */
const scratch = await Deno.makeTempDir({ prefix: "unik-quoting-" });

/** Hostile and awkward words: each must come back from the shell as itself. */
const WORDS = [
  "plain",
  "--key=value",
  "",
  "two words",
  "$(touch victim)",
  "`touch victim`",
  "';touch victim;'",
  '"; touch victim; "',
  "a\\b",
  "*",
  "~",
  "#comment",
  "%{bin}%",
  "a%{b}",
  "it's",
  "x\ny",
  "é",
];

/** What `sh -c` passes as arguments when running `printf '%s\0' <command>`. */
async function shWords(command: string): Promise<string[]> {
  const out = await new Deno.Command("sh", {
    args: ["-c", `printf '%s\\0' ${command}`],
    cwd: scratch,
    stdout: "piped",
  }).output();
  assert.equal(out.code, 0);
  return new TextDecoder().decode(out.stdout).split("\0").slice(0, -1);
}

Deno.test("plain words are written unquoted (generated files stay as they were)", () => {
  assert.equal(
    shellCommand(["unik", "configure", "-t", "unix", "--no-extra-repo"]),
    "unik configure -t unix --no-extra-repo",
  );
  assert.equal(shellQuote("--greeting=yo"), "--greeting=yo");
});

Deno.test("shell-quoted words come back from sh exactly", async () => {
  assert.deepEqual(await shWords(shellCommand(WORDS)), WORDS);
});

Deno.test("a first word holding '=' is not read as an assignment", () => {
  assert.equal(shellCommand(["A=b", "x"]), "'A=b' x");
});

Deno.test("an opam string escapes quotes and backslashes", () => {
  assert.equal(opamString('a "b" \\c'), '"a \\"b\\" \\\\c"');
  assert.equal(opamString("unik configure -t unix"), JSON.stringify("unik configure -t unix"));
});

Deno.test("an opam string refuses control characters", () => {
  assert.throws(() => opamString("a\nb"), RangeError);
});

Deno.test("an opam shell command holds no %{ for opam to expand", () => {
  const text = opamShellCommand(["unik", "--x=%{bin}%", "a%{b"]);
  assert.ok(!text.includes("%{"), text);
});

Deno.test("an opam shell command, unescaped, gives sh the words back", async () => {
  const words = WORDS.filter((w) => !/[\n]/.test(w));
  const text = opamShellCommand(words);
  // The opam string's only escapes are \" and \\: undo them as opam's lexer does.
  const inner = text.slice(1, -1).replace(/\\(["\\])/g, "$1");
  assert.deepEqual(await shWords(inner), words);
});

Deno.test("a Makefile recipe command gives the shell the words back, $ included", async () => {
  const words = ["/opt/my unik/unik", "$(shell touch victim)", "$$x", "it's", "a b"];
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(
    `${dir}/Makefile`,
    `all:\n\t@printf '%s\\0' ${makeRecipeCommand(words)}\n`,
  );
  const out = await new Deno.Command("make", { args: ["-s", "-C", dir], stdout: "piped" })
    .output();
  assert.equal(out.code, 0);
  assert.deepEqual(new TextDecoder().decode(out.stdout).split("\0").slice(0, -1), words);
  await assert.rejects(() => Deno.stat(`${dir}/victim`));
  await Deno.remove(dir, { recursive: true });
});

Deno.test("no hostile word ever ran", async () => {
  await assert.rejects(() => Deno.stat(`${scratch}/victim`));
});

Deno.test("a Makefile recipe command refuses a newline (it would end the recipe)", () => {
  assert.throws(() => makeRecipeCommand(["a\nb"]), RangeError);
});
