// Each tool's grammar accepts what the tool means and refuses what it would interpret:
// opam names, versions and URLs, overlay repositories, findlib names, unikernel and device
// names. One table per grammar.
import assert from "node:assert/strict";
import {
  checkFindlibName,
  checkOpamPackageName,
  checkOpamRepositoryName,
  checkOpamRepositoryUrl,
  checkOpamUrl,
  checkOpamVersion,
  checkResourceName,
  checkUnikernelName,
  requireField,
} from "../lib/validate/mod.ts";
import { UnikError } from "../lib/errors.ts";

type Check = (s: string) => string | undefined;

function table(grammar: string, check: Check, good: readonly string[], bad: readonly string[]) {
  for (const s of good) {
    Deno.test(`${grammar}: ${JSON.stringify(s)} is accepted`, () => {
      assert.equal(check(s), undefined);
    });
  }
  for (const s of bad) {
    Deno.test(`${grammar}: ${JSON.stringify(s)} is refused`, () => {
      assert.equal(typeof check(s), "string");
    });
  }
}

table(
  "opam package name",
  checkOpamPackageName,
  ["lwt", "mirage-runtime", "ocaml_base", "conf-gmp+x", "0install", "X"],
  ["", "123", "a b", 'lwt" {build}', "a.b", "a/b", "a$b", "caf\u00e9", "a\nb", "--"],
);

table(
  "opam version",
  checkOpamVersion,
  ["1.0.0", "4.9.0", "1.0~beta", "v1_2+git", "dev", "0"],
  ["", '1.0" {build}', "1.0 ", "1.0)", "1.0&", "%{x}%", "1\n0", "1/0"],
);

table(
  "opam URL",
  checkOpamUrl,
  [
    "https://github.com/mirage/mirage.git",
    "git+https://github.com/x/y.git#main",
    "git+ssh://git@github.com/x/y.git",
    "git://example.org/x",
    "file:///home/me/src/lib",
    "https://example.org/a%20b.tar.gz?x=1",
  ],
  [
    "",
    "github.com/x/y",
    "javascript:alert(1)",
    "https://x/ y",
    'https://x/"y',
    "https://x/%{bin}%",
    "https://x/\ny",
    "ftp:/x",
    "git@github.com:x/y.git",
  ],
);

table(
  "opam repository name",
  checkOpamRepositoryName,
  ["opam-overlays", "mirage-overlays", "my_repo", "r2", "local.1"],
  ["", "-x", ".x", "x y", "x;y", "x$(id)", "x`id`", "a/b", "x'y"],
);

table(
  "overlay repository URL",
  checkOpamRepositoryUrl,
  [
    "https://github.com/dune-universe/opam-overlays.git",
    "git+https://github.com/x/y.git#branch",
    "file:///srv/opam-repo",
  ],
  [
    "y; touch victim",
    "https://x/$(touch victim)",
    "https://x/`id`",
    "https://x/a&b",
    "https://x/a|b",
    "https://x/'a'",
    "https://x/*",
    "https://x/(a)",
    "https://x/a b",
    "-https://x",
  ],
);

table(
  "findlib library name",
  checkFindlibName,
  ["lwt", "tcpip.ipv4", "ptime.clock.os", "mirage-runtime", "ppx_deriving.show", "a+b"],
  ["", ".", "a.", ".a", "a..b", "lwt) (action (system id", "a b", "-x", "a/b", "%{x}", 'a"b'],
);

table(
  "unikernel name",
  checkUnikernelName,
  ["hello", "static_website", "a.b-c", "X1"],
  ["", "1x", "-x", "a b", "x\ny", "x$(touch v)", "x`id`", "a/b", "a;b", 'a"b', "_x"],
);

table(
  "device (block/network) name",
  checkResourceName,
  ["disk.img", "tap0", "service", "images/x.img", "/dev/sdb", "docteur"],
  ["", "-x", "a b", "a'b", "x' ]\nbootloader='/bin/sh", "a;b", "a$b", 'a"b'],
);

Deno.test("requireField names the field and shows the value as written", () => {
  assert.throws(
    () => requireField("package lwt: min", '1.0" {build}', checkOpamVersion),
    (e) =>
      e instanceof UnikError && e.kind === "config" &&
      e.message.startsWith('package lwt: min "1.0\\" {build}" is not an opam version'),
  );
});

Deno.test("requireField raises the error class it is given", () => {
  assert.throws(
    () => requireField("--extra-repos: name", "x;y", checkOpamRepositoryName, "usage"),
    (e) => e instanceof UnikError && e.kind === "usage",
  );
});

Deno.test("requireField refuses a value that is not a string", () => {
  assert.throws(
    () => requireField("package lwt: min", 1 as unknown as string, checkOpamVersion),
    /must be a string/,
  );
});
