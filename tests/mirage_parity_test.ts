// The generated files read as mirage 4.9's: the Makefile's messages and layout, the order of
// the devices' dune rules and installed files, and the text of connect code taken from mirage.
import assert from "node:assert/strict";
import { join } from "node:path";
import { apply, block, fn, job, main, runtimeArg } from "unik";
import { generateMakefile, type MakefileInput } from "../lib/codegen/makefile.ts";
import { ccmBlock, ramdisk } from "../plugins/block.ts";
import { configureJobs, ocamlParses } from "./helpers.ts";

const makefileInput: MakefileInput = {
  buildDir: "./",
  mirageDir: "./mirage",
  opamName: "hello-hvt",
  artifact: "hello.hvt",
  extraRepos: [["opam-overlays", "https://example.org/overlays.git"]],
  depext: true,
};

/** The recipe lines of `target`'s rule (`target:` or `target::`). */
function recipe(makefile: string, target: string): string[] {
  const lines = makefile.split("\n");
  const start = lines.findIndex((l) => l.startsWith(`${target}:`));
  assert.ok(start >= 0, `no rule for ${target}`);
  const out = [];
  for (const l of lines.slice(start + 1)) {
    if (!l.startsWith("\t")) break;
    out.push(l);
  }
  return out;
}

/** The number of blank lines just before the line that starts with `prefix`. */
function blanksBefore(makefile: string, prefix: string): number {
  const lines = makefile.split("\n");
  let i = lines.findIndex((l) => l.startsWith(prefix));
  assert.ok(i >= 0, `no line starts with ${prefix}`);
  let n = 0;
  while (lines[--i] === "") n++;
  return n;
}

for (const depext of [true, false]) {
  Deno.test(`make lock, pull and install-switch each end by saying what to run next (depext ${depext})`, () => {
    const makefile = generateMakefile({ ...makefileInput, depext });
    assert.equal(
      recipe(makefile, "lock").at(-1),
      "\t@echo \"The lock file has been generated. Run 'make pull' to retrieve the sources, " +
        "or 'make install-switch' to install the host dependencies.\"",
    );
    assert.equal(
      recipe(makefile, "pull").at(-1),
      "\t@echo \"The sources have been pulled to the duniverse folder. Run 'make build' to build " +
        'the unikernel."',
    );
    assert.equal(
      recipe(makefile, "install-switch").at(-1),
      "\t@echo \"The dependencies have been installed. Run 'make build' to build the unikernel.\"",
    );
  });
}

Deno.test("make shows depext-lockfile's echo command, as mirage 4.9's Makefile does (no @)", () => {
  const lines = recipe(generateMakefile(makefileInput), "depext-lockfile");
  assert.equal(lines[0], '\techo " ↳ install external dependencies for monorepo"');
});

Deno.test("the overlay and depext rules are spaced as in mirage 4.9's Makefile", () => {
  const both = generateMakefile(makefileInput);
  assert.equal(blanksBefore(both, "repo-add:"), 1);
  assert.equal(blanksBefore(both, "repo-rm:"), 2);
  assert.equal(blanksBefore(both, "depext-lockfile:"), 3);
  assert.equal(blanksBefore(both, "$(MIRAGE_DIR)/$(UNIKERNEL_NAME).opam.locked:"), 2);
  const reposOnly = generateMakefile({ ...makefileInput, depext: false });
  assert.equal(blanksBefore(reposOnly, "$(MIRAGE_DIR)/$(UNIKERNEL_NAME).opam.locked:"), 2);
  const depextOnly = generateMakefile({ ...makefileInput, extraRepos: [] });
  assert.equal(blanksBefore(depextOnly, "depext-lockfile:"), 2);
  assert.equal(blanksBefore(depextOnly, "$(MIRAGE_DIR)/$(UNIKERNEL_NAME).opam.locked:"), 2);
  const neither = generateMakefile({ ...makefileInput, extraRepos: [], depext: false });
  assert.equal(blanksBefore(neither, "$(MIRAGE_DIR)/$(UNIKERNEL_NAME).opam.locked:"), 1);
  for (const m of [both, reposOnly, depextOnly, neither]) {
    assert.equal(blanksBefore(m, "lock::"), 1);
    assert.ok(m.endsWith("\tunik clean\n"));
  }
});

Deno.test("make build names the artifact as built, with its target's extension", () => {
  assert.ok(
    recipe(generateMakefile(makefileInput), "build").includes(
      '\t@echo "Your unikernel binary is now ready in $(BUILD_DIR)dist/hello.hvt"',
    ),
  );
});

Deno.test("ccm_block's connect code is mirage 4.9's expression: ?nonce_len:(None), String.(equal ...)", async () => {
  const app = main("App.Make", fn(block, job));
  const key = runtimeArg<string>("Unikernel.key");
  const mainMl = configureJobs([apply(app, ccmBlock(key, ramdisk("rd")))], "unix")
    .queries["main.ml"];
  assert.match(
    mainMl,
    /^ {4}if String\.length key >= 2 && String\.\(equal "0x" \(sub key 0 2\)\) then$/m,
  );
  assert.match(mainMl, /^ {6}String\.sub key 2 \(String\.length key - 2\)$/m);
  assert.match(
    mainMl,
    /\.connect \?nonce_len:\(None\) ~key:\(Cstruct\.of_hex key\) _ramdisk__\d+$/m,
  );
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(join(dir, "main.ml"), mainMl);
  assert.equal(await ocamlParses(join(dir, "main.ml")), undefined);
});
