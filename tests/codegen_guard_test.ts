// The generators check every field they write, whatever checked it before: their inputs will
// come out of a sandbox that a hostile config controls, so a forged package, install line,
// repository, stanza or name is refused by the generator itself, naming the field.
import assert from "node:assert/strict";
import type { Package } from "../lib/dsl/package.ts";
import { generateOpam, type OpamInput } from "../lib/codegen/opam.ts";
import { generateMakefile, type MakefileInput } from "../lib/codegen/makefile.ts";
import {
  generateDistDune,
  generateDuneBuild,
  generateDuneProject,
} from "../lib/codegen/dune_files.ts";
import { librariesField } from "../lib/codegen/dune_layout.ts";
import { manifestJson } from "../targets/solo5.ts";
import { xlFile } from "../targets/xen.ts";
import { UnikError } from "../lib/errors.ts";

const lwt: Package = {
  name: "lwt",
  scope: "monorepo",
  build: false,
  libs: ["lwt"],
  min: [{ version: "5.0.0", from: "App (config.ts:3)" }],
  max: [],
  from: "App (config.ts:3)",
};

const opamBase: OpamInput = {
  name: "hello",
  packages: [lwt],
  install: { bin: [["hello", "hello"]], etc: [] },
  lockPath: "mirage/hello-unix.opam.locked",
  configureArgs: ["-t", "unix"],
  extraRepos: [["opam-overlays", "https://github.com/dune-universe/opam-overlays.git"]],
};

const makeBase: MakefileInput = {
  buildDir: "./",
  mirageDir: "./mirage",
  opamName: "hello-unix",
  artifact: "hello",
  extraRepos: opamBase.extraRepos,
  depext: true,
};

/** Asserts that `f` throws a configuration error whose message matches `field`. */
function refuses(f: () => unknown, field: RegExp): void {
  assert.throws(f, (e) => e instanceof UnikError && e.kind === "config" && field.test(e.message));
}

Deno.test("valid inputs generate as before", () => {
  assert.match(generateOpam(opamBase), /"sh" "-exc" "unik configure -t unix --no-extra-repo"/);
  assert.match(generateMakefile(makeBase), /\tunik clean\n$/);
});

for (
  const [what, input, field] of [
    ["a min bound", { packages: [{ ...lwt, min: [{ version: '1" {build}', from: "A" }] }] }, /min/],
    ["a max bound", { packages: [{ ...lwt, max: [{ version: "1 | x", from: "A" }] }] }, /max/],
    ["a package name", { packages: [{ ...lwt, name: 'lwt" "x' }] }, /name/],
    [
      "a pin URL",
      { packages: [{ ...lwt, pin: { url: 'x" ]', version: "dev", from: "A" } }] },
      /pin/,
    ],
    [
      "a pin version",
      { packages: [{ ...lwt, pin: { url: "git+https://x/y", version: "a b", from: "A" } }] },
      /pinVersion/,
    ],
    ["an install source", { install: { bin: [["../../x", "x"]], etc: [] } }, /install bin source/],
    [
      "an install destination",
      { install: { bin: [["x", "x/../../y"]], etc: [] } },
      /install bin destination/,
    ],
    ["an etc file", { install: { bin: [], etc: ['x" ] ["rm'] } }, /install etc/],
    ["the unikernel name", { name: 'x" x-evil: "y' }, /unikernel name/],
    ["the lock path", { lockPath: "/etc/passwd" }, /lock file/],
    ["a configure argument", { configureArgs: ["a\nb"] }, /configure argument/],
    ["a repository name", { extraRepos: [["x;y", "https://x/y"]] }, /extra repository: name/],
    ["a repository URL", { extraRepos: [["x", "y; touch v"]] }, /URL/],
    ["the url src", { src: 'https://x/"y' }, /src/],
  ] as const
) {
  Deno.test(`the opam generator refuses a forged ${what}`, () => {
    refuses(() => generateOpam({ ...opamBase, ...input } as OpamInput), field);
  });
}

Deno.test("the opam generator names the device that asked for a bad bound", () => {
  refuses(
    () =>
      generateOpam({
        ...opamBase,
        packages: [{ ...lwt, min: [{ version: "1)", from: "Evil (evil.ts:9)" }] }],
      }),
    /Evil \(evil\.ts:9\)/,
  );
});

for (
  const [what, input, field] of [
    ["build directory", { buildDir: "$(shell touch v)/" }, /build directory/],
    ["mirage directory", { mirageDir: "../../x" }, /mirage directory/],
    ["opam name", { opamName: "x$(shell id)" }, /opam name/],
    ["artifact", { artifact: 'x"; touch v; "' }, /artifact/],
    ["repository URL", { extraRepos: [["x", "https://x/$(shell id)"]] }, /URL/],
  ] as const
) {
  Deno.test(`the Makefile generator refuses a forged ${what}`, () => {
    refuses(() => generateMakefile({ ...makeBase, ...input }), field);
  });
}

Deno.test("the unik command is quoted in the Makefile and the opam file", () => {
  const command = ["/opt/my unik/bin/unik", "--flag=$x"];
  assert.match(
    generateMakefile({ ...makeBase, command }),
    /\t'\/opt\/my unik\/bin\/unik' '--flag=\$\$x' clean\n/,
  );
  assert.match(
    generateOpam({ ...opamBase, command }),
    /"sh" "-exc" "'\/opt\/my unik\/bin\/unik' '--flag=\$x' configure -t unix --no-extra-repo"/,
  );
});

Deno.test("dune.build refuses a stanza that would unbalance the file", () => {
  refuses(() => generateDuneBuild([], ["(rule (targets a)"]), /not valid dune/);
  refuses(() => generateDuneBuild([], ["(rule)) (rule (action (system id))"]), /not valid dune/);
  refuses(() => generateDuneBuild([], ["system"]), /not valid dune/);
});

Deno.test("dune.build refuses a forged generated file name", () => {
  refuses(() => generateDuneBuild(["x) (rule (action (system id)))"], []), /generated file/);
});

Deno.test("dist/dune refuses installed files outside dist/", () => {
  refuses(() => generateDistDune(["../x"], [], "default"), /installed file/);
  refuses(() => generateDistDune([], ["x) (action (system id)"], "default"), /installed file/);
  refuses(() => generateDistDune([], [], 'x") (system "id'), /dune context/);
});

Deno.test("dune-project refuses a forged project name", () => {
  refuses(() => generateDuneProject("x) (using ctypes 0.1"), /dune project name/);
});

Deno.test("the libraries field refuses a forged library name", () => {
  refuses(() => librariesField(["lwt", "x) (action (system id"]), /library/);
});

Deno.test("the manifest and xl files refuse forged device names", () => {
  const blocks = [{ name: "x' ]\nbootloader = '/bin/sh", number: 1 }];
  refuses(() => xlFile({ name: "hello", bridge: "br" }, { networks: [], blocks }, true), /block/);
  refuses(() => manifestJson({ networks: ['a", "type": "x'], blocks: [] }), /network/);
});
