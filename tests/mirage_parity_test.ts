// The generated files read as mirage 4.9's: the Makefile's messages and layout, the order of
// the devices' dune rules and installed files, and the text of connect code taken from mirage.
import assert from "node:assert/strict";
import { join } from "node:path";
import { apply, block, fn, impl, job, kvRo, main, runtimeArg, stackv4v6 } from "unik";
import { generateMakefile, type MakefileInput } from "../lib/codegen/makefile.ts";
import { compareBytes, mergeInstalls } from "../lib/codegen/install.ts";
import { ccmBlock, ramdisk } from "../plugins/block.ts";
import { crunch, docteur } from "../plugins/kv.ts";
import * as A from "../plugins/network_args.ts";
import { defaultNetwork } from "../plugins/network.ts";
import { genericStackv4v6 } from "../plugins/stack.ts";
import { optionOrder } from "../lib/cli/option_order.ts";
import { recordedArgs } from "../lib/commands/common.ts";
import type { KeyDesc } from "../lib/dsl/key.ts";
import { configureJobs, copyOf, ocamlParses, REPO, tempProject, unik } from "./helpers.ts";

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

Deno.test("two crunch stores: their dune rules come in argument order, as mirage 4.9 collects them", () => {
  const app = main("Unikernel.Make", fn(kvRo, kvRo, job));
  const dune = configureJobs([apply(app, crunch("certificates"), crunch("keys"))], "unix")
    .queries["dune.build"];
  const first = dune.indexOf("(run ocaml-crunch -o Static_certificates.ml certificates)");
  const second = dune.indexOf("(run ocaml-crunch -o Static_keys.ml keys)");
  assert.ok(first >= 0 && second >= 0, dune);
  assert.ok(first < second, dune);
});

Deno.test("docteur on xen: disk.img is installed before the xl files (etc files are sorted)", () => {
  const app = main("Unikernel.Make", fn(kvRo, job));
  const c = configureJobs([apply(app, docteur("relativize://data"))], "xen");
  const installs = c.queries.opam.split("\n").filter((l) => l.includes('"cp"'));
  assert.deepEqual(installs, [
    '  [ "cp" "dist/t.xen" "%{bin}%/t.xen" ]',
    '  [ "cp" "dist/disk.img" "%{etc}%" ]',
    '  [ "cp" "dist/t.xl" "%{etc}%" ]',
    '  [ "cp" "dist/t.xl.in" "%{etc}%" ]',
  ]);
  const targets = [...c.queries["dune.dist"].matchAll(/\(target (\S+)\)/g)].map((m) => m[1]);
  assert.deepEqual(targets, ["t.xen", "disk.img", "t.xl", "t.xl.in"]);
});

Deno.test("installs merge as mirage's Install.union: binaries in order, etc files a sorted set", () => {
  const merged = mergeInstalls([
    { bin: [["app.hvt", "app.hvt"]], etc: ["app.xl", "app.xl.in"] },
    { bin: [["tool", "tool"]], etc: ["disk.img", "app.xl"] },
    { bin: [], etc: ["Zeta", "zeta", "éa"] },
  ]);
  assert.deepEqual(merged.bin, [["app.hvt", "app.hvt"], ["tool", "tool"]]);
  assert.deepEqual(merged.etc, ["Zeta", "app.xl", "app.xl.in", "disk.img", "zeta", "éa"]);
});

Deno.test("etc files are ordered by their bytes, as OCaml's String.compare orders them", () => {
  // U+FF21 (3 UTF-8 bytes, EF BC A1) sorts before U+1F600 (F0 ...) by bytes; UTF-16 code
  // units would put the emoji's surrogate (D83D) first.
  assert.ok(compareBytes("\uff21", "\u{1f600}") < 0);
  assert.ok(compareBytes("a", "ab") < 0 && compareBytes("b", "ab") > 0);
  assert.equal(compareBytes("same", "same"), 0);
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

/** The terms main.ml registers, in order (`Mirage_runtime_network.` and arguments left out). */
function registeredTerms(mainMl: string): string[] {
  const re = /^let \S+__key = Mirage_runtime\.register_arg @@\n(?:# \d+ ".*"\n)? {2}(\S+)/gm;
  return [...mainMl.matchAll(re)].map((m) => m[1].replace(/^Mirage_runtime_network\./, ""));
}

/** mirage 4.9's standard runtime arguments, in the order of their definitions in its sources. */
const MIRAGE_ORDER = [
  "Mirage_runtime.analyze", // lib/devices/block.ml
  "Mirage_runtime.delay", // lib/devices/runtime_arg.ml, from here to logs
  "interface",
  "V4.network",
  "V4.gateway",
  "V6.network",
  "V6.gateway",
  "V6.accept_router_advertisements",
  "ipv4_only",
  "ipv6_only",
  "resolver",
  "dns_servers",
  "dns_timeout",
  "dns_cache_size",
  "he_aaaa_timeout",
  "he_connect_delay",
  "he_connect_timeout",
  "he_resolve_timeout",
  "he_resolve_retries",
  "he_timer_interval",
  "ssh_key",
  "ssh_password",
  "ssh_authenticator",
  "tls_authenticator",
  "http_headers",
  "syslog",
  "syslog_port",
  "syslog_truncate",
  "syslog_keyname",
  "monitor_hostname",
  "monitor",
  "Mirage_runtime.logs",
  "Cmdliner_stdlib.setup", // lib/mirage.ml
];

Deno.test("every standard runtime argument registers in mirage 4.9's definition order", () => {
  // Given in the reverse order, so that no order of use or of graph can produce the right one.
  const args = [
    A.monitorArg(undefined),
    A.monitorHostnameArg(),
    A.optionalStringArg("syslog_keyname", undefined),
    A.syslogTruncateArg(undefined),
    A.syslogPortArg(undefined),
    A.syslogArg(undefined),
    A.httpHeadersArg(undefined),
    A.optionalStringArg("tls_authenticator", undefined),
    A.optionalStringArg("ssh_authenticator", undefined),
    A.optionalStringArg("ssh_password", undefined),
    A.optionalStringArg("ssh_key", undefined),
    A.happyEyeballsArg("he_timer_interval", undefined),
    A.happyEyeballsArg("he_resolve_retries", undefined),
    A.happyEyeballsArg("he_resolve_timeout", undefined),
    A.happyEyeballsArg("he_connect_timeout", undefined),
    A.happyEyeballsArg("he_connect_delay", undefined),
    A.happyEyeballsArg("he_aaaa_timeout", undefined),
    A.dnsCacheSizeArg(undefined),
    A.dnsTimeoutArg(undefined),
    A.dnsServersArg(undefined),
    A.resolverArg(undefined),
    A.ipv6OnlyArg(),
    A.ipv4OnlyArg(),
    A.acceptRouterAdvertisementsArg(),
    A.ipv6GatewayArg(undefined),
    A.ipv6NetworkArg(undefined),
    A.ipv4GatewayArg(undefined),
    A.ipv4NetworkArg("10.0.0.2/24"),
    A.interfaceArg("tap0"),
  ];
  const everything = impl("Everything", job, { runtimeArgs: args });
  const store = apply(main("Store.Make", fn(kvRo, job)), docteur("relativize://data"));
  const mainMl = configureJobs([everything, store], "hvt").queries["main.ml"];
  assert.deepEqual(registeredTerms(mainMl), MIRAGE_ORDER);
});

Deno.test("a network stack's arguments register after --delay and before --logs, as in mirage 4.9", () => {
  const app = main("Unikernel.Make", fn(stackv4v6, job));
  const mainMl = configureJobs([apply(app, genericStackv4v6(defaultNetwork))], "hvt")
    .queries["main.ml"];
  assert.deepEqual(registeredTerms(mainMl), [
    "Mirage_runtime.delay",
    "V4.network",
    "V4.gateway",
    "V6.network",
    "V6.gateway",
    "V6.accept_router_advertisements",
    "ipv4_only",
    "ipv6_only",
    "Mirage_runtime.logs",
    "Cmdliner_stdlib.setup",
  ]);
});

const KEYS = [
  { name: "target", short: "t", kind: "string" },
  { name: "greeting", kind: "string" },
  { name: "fast", kind: "flag" },
  { name: "ips", kind: "list" },
] as unknown as KeyDesc[];

Deno.test("the command line's options are read in the order given, each once", () => {
  assert.deepEqual(optionOrder(["--greeting=yo", "-t", "hvt", "-f", "a/config.ts"], KEYS), [
    "greeting",
    "target",
    "file",
  ]);
  assert.deepEqual(
    optionOrder(["-thvt", "--dry-run", "--fast", "-o", "app", "--target=unix", "--ips", "a"], KEYS),
    ["target", "fast", "output", "ips"],
  );
});

Deno.test("an option's value given as the next word is not read as an option", () => {
  assert.deepEqual(optionOrder(["--greeting", "-t", "--fast", "-t", "unix"], KEYS), [
    "greeting",
    "fast",
    "target",
  ]);
  assert.deepEqual(optionOrder(["--extra-repos", "-f", "--", "-o", "x"], KEYS), []);
});

Deno.test("recorded options come in the command line's order, the ones it did not give after", () => {
  const words = recordedArgs(
    [
      { name: "file", words: ["-f", "app/config.ts"] },
      { name: "fast", words: ["--fast=true"] },
      { name: "greeting", words: ["--greeting=yo"] },
      { name: "target", words: ["-t", "unix"] },
    ],
    ["target", "greeting", "file"],
  );
  assert.deepEqual(words, ["-t", "unix", "--greeting=yo", "-f", "app/config.ts", "--fast=true"]);
});

/** The configure command x-mirage-configure records, as the shell reads it. */
function recordedConfigure(opam: string): string {
  const m = /^x-mirage-configure: \["sh" "-exc" "(.*)"\]$/m.exec(opam);
  assert.ok(m, opam);
  return m[1];
}

Deno.test("x-mirage-configure keeps the user's order of -t and the keys", async () => {
  const dir = await copyOf("tests/fixtures/configs/keys");
  const r = await unik(dir, ["configure", "-t", "unix", "--greeting=yo", "--fast=true"]);
  assert.equal(r.code, 0, r.stderr);
  const opam = await Deno.readTextFile(join(dir, "mirage/keys-unix.opam"));
  assert.equal(
    recordedConfigure(opam),
    "unik configure -t unix --greeting=yo --fast=true --no-extra-repo",
  );
});

Deno.test("x-mirage-configure keeps -f where the user gave it; a defaulted target comes last", async () => {
  const config = await Deno.readTextFile(join(REPO, "tests/fixtures/configs/keys/config.ts"));
  const dir = await tempProject({ "app/config.ts": config });
  const r = await unik(dir, ["configure", "--greeting=yo", "-f", "app/config.ts"]);
  assert.equal(r.code, 0, r.stderr);
  const opam = await Deno.readTextFile(join(dir, "app/mirage/keys-unix.opam"));
  assert.equal(
    recordedConfigure(opam),
    "unik configure --greeting=yo -f app/config.ts -t unix --no-extra-repo",
  );
});
