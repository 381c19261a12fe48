// Paths written into dune files and opam install lines are relative, stay inside the project
// and contain nothing dune, opam, make or a shell would interpret.
import assert from "node:assert/strict";
import { checkFileName, checkProjectPath } from "../lib/validate/mod.ts";

for (const path of ["htdocs", "t/data", "./static", "a-b_c.d+e", "dir/", ".", "a/./b", "a/../b"]) {
  Deno.test(`project path ${JSON.stringify(path)} is accepted`, () => {
    assert.equal(checkProjectPath(path), undefined);
  });
}

for (
  const [path, reason] of [
    ["", /empty/],
    ["/etc", /absolute/],
    ["..", /leaves/],
    ["../../secret", /leaves/],
    ["a/../../b", /leaves/],
    ["a//b", /empty segment/],
    ["-rf", /'-'/],
    ["a/-o", /'-'/],
    ["x) (action (system touch /tmp/v))", /only letters/],
    ["a b", /only letters/],
    ["$(id)", /only letters/],
    ["%{read:x}", /only letters/],
    ["a;b", /only letters/],
    ["a\nb", /only letters/],
    ["a\\b", /only letters/],
    ['a"b', /only letters/],
    ["caf\u00e9", /only letters/],
  ] as const
) {
  Deno.test(`project path ${JSON.stringify(path)} is refused`, () => {
    assert.match(checkProjectPath(path) ?? "(accepted)", reason);
  });
}

Deno.test("a path may climb as many levels as its directory is deep", () => {
  assert.equal(checkProjectPath("../htdocs", { up: 1 }), undefined);
  assert.match(checkProjectPath("../../htdocs", { up: 1 }) ?? "", /leaves/);
});

Deno.test("a file name is one safe segment", () => {
  assert.equal(checkFileName("disk.img"), undefined);
  assert.match(checkFileName("a/b") ?? "", /without '\/'/);
  assert.match(checkFileName("..") ?? "", /file/);
  assert.match(checkFileName(".") ?? "", /file/);
});
