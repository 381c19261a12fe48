/**
 * Build approval beyond dune stanzas: what a plugin loaded by URL adds to the opam file and to
 * the installed files can make opam or dune fetch and run code at build, so it waits for the
 * plugin's approval like a host-command stanza: a pin (`pin-depends`, to a URL the plugin
 * chose), a package opam installs in the switch, a program installed in the switch's bin/, a
 * data file no inert rule makes. And `query` and `describe` show the build as configure writes
 * it, without what waits, saying so. Plugins and the attacker's pin target are served on
 * 127.0.0.1 by the test, recording every request; the toolchain is fake (PATH-injected,
 * recording every call) because the point is that opam and dune do not run at all.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { fakeToolchain, freshUnikHome, tempProject, unik, unikProcess } from "../helpers.ts";
import { type PluginServer, startServer } from "./plugin_server.ts";
import { ledConfig, ledPlugin } from "./led_plugin.ts";

interface Setup {
  server: PluginServer;
  dir: string;
  url: string;
  /** The attacker's pin target, on the same recording host. */
  evil: string;
  env: Record<string, string>;
  run(...args: string[]): ReturnType<typeof unik>;
  read(path: string): Promise<string>;
  [Symbol.asyncDispose](): Promise<void>;
}

async function setup(options: (evil: string) => string, top = ""): Promise<Setup> {
  const server = await startServer();
  const evil = `${server.origin}/evil/backdoor.git`;
  server.serve("/acme/led.ts", ledPlugin(options(evil), top));
  const url = `${server.origin}/acme/led.ts`;
  const dir = await tempProject({ "config.ts": ledConfig(url) });
  const { env } = await freshUnikHome();
  return {
    server,
    dir,
    url,
    evil,
    env,
    run: (...args) => unik(dir, args, env),
    read: (path) => Deno.readTextFile(join(dir, path)),
    [Symbol.asyncDispose]: () => server.stop(),
  };
}

const OPAM = "mirage/blinky-unix.opam";

/** An inert stanza: the shape the standard crunch plugin emits. */
const CRUNCH = `(rule
 (targets Static_htdocs.ml Static_htdocs.mli)
 (deps (source_tree htdocs))
 (action
  (run ocaml-crunch -o Static_htdocs.ml htdocs)))`;
const PIN = (evil: string) => `packages: [pkg("acme-led", { pin: ${JSON.stringify(evil)} })],`;

Deno.test("a plugin's pin to its own URL is withheld from the opam file until approved", async () => {
  await using s = await setup(PIN);
  const r = await s.run("configure", "-t", "unix");
  assert.equal(r.code, 0, r.stderr);
  const opam = await s.read(OPAM);
  assert.ok(!opam.includes(s.evil) && !opam.includes("pin-depends"), opam);
  assert.ok(!opam.includes('"acme-led"'), "the pinned package is not a dependency either");
  assert.match(r.stderr, /opam package "acme-led" .* pinned to http:\/\/127\.0\.0\.1:\d+\/evil/);
  assert.ok(r.stderr.includes(`unik plugin allow ${s.url}`), r.stderr);
  const record = JSON.parse(await s.read("mirage/withheld.json"));
  assert.equal(record.withheld[0].kind, "package");
  assert.ok(!s.server.requests.some((p) => p.startsWith("/evil")), "nothing fetched the pin");
});

Deno.test("build refuses a withheld pin before opam runs", async () => {
  await using s = await setup(PIN);
  const fake = await fakeToolchain();
  const r = await unikProcess(s.dir, ["build", "-t", "unix"], { ...s.env, ...fake.env });
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /not building/);
  assert.ok(r.stderr.includes(s.evil), r.stderr);
  assert.deepEqual(await fake.calls(), []);
  assert.ok(!s.server.requests.some((p) => p.startsWith("/evil")));
});

Deno.test("once the plugin is allowed, its pin is written", async () => {
  await using s = await setup(PIN);
  assert.equal((await s.run("configure", "-t", "unix")).code, 0);
  const allowed = await s.run("plugin", "allow", s.url);
  assert.equal(allowed.code, 0, allowed.stderr);
  assert.ok(allowed.stdout.includes(s.evil), "allow shows the pin it approves");
  assert.equal((await s.run("configure", "-t", "unix")).code, 0);
  assert.match(await s.read(OPAM), /pin-depends: \[\n {2}\["acme-led\.dev" "http:\/\/127\.0\.0\.1/);
});

/**
 * Plugin code that answers unik's evaluation itself (lib/sandbox/protocol.ts) with a
 * well-formed evaluation holding `packages`: attributed as the plugin likes.
 */
function forgedPackages(packages: string): string {
  return `const realHandler = globalThis.onmessage;
globalThis.onmessage = (e) => {
  if (e.data.type !== "evaluate") return realHandler(e);
  const value = {
    name: "blinky", src: "none", target: "unix", mainMl: "let () = ()\\n", hookFiles: [],
    stanzas: [{ kind: "target" }], installs: [], packages: ${packages}, libraries: [],
    resources: { networks: [], blocks: [] },
  };
  globalThis.postMessage({ type: "done", value, nondeterministic: false, readFiles: false });
};`;
}

Deno.test("a pin the reply attributes to config.ts still needs the plugin's approval", async () => {
  const own = "Unikernel.Main (config.ts:3)";
  await using s = await setup(() => "");
  // Written as an object literal: unik's import scan would read JSON's `"from":"` as an import.
  const pinned = `[{ name: "zz-own", scope: "monorepo", build: false, libs: [], min: [], max: [],
    pin: { url: "${s.evil}", version: "dev", from: "${own}" }, from: "${own}" }]`;
  s.server.serve("/acme/led.ts", ledPlugin("", forgedPackages(pinned)));
  const r = await s.run("configure", "-t", "unix");
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!(await s.read(OPAM)).includes(s.evil));
  assert.ok(r.stderr.includes(`unik plugin allow ${s.url}`), r.stderr);
});

Deno.test("a package a plugin has opam install in the switch is withheld", async () => {
  await using s = await setup(() =>
    `packages: [pkg("acme-tool", { scope: "switch", build: true })],`
  );
  const r = await s.run("configure", "-t", "unix");
  assert.equal(r.code, 0, r.stderr);
  const opam = await s.read(OPAM);
  assert.ok(!opam.includes("acme-tool"), opam);
  assert.match(opam, /x-opam-monorepo-opam-provided: \["opam-monorepo"\]/);
  assert.match(r.stderr, /opam installs it in your switch/);
});

Deno.test("a plugin's package from the opam repositories needs no approval", async () => {
  await using s = await setup(() => `packages: [pkg("acme-led", { min: "1.0.0" })],`);
  const r = await s.run("configure", "-t", "unix");
  assert.equal(r.code, 0, r.stderr);
  assert.match(await s.read(OPAM), /"acme-led" \{ \?monorepo & >= "1\.0\.0" \}/);
  assert.doesNotMatch(r.stderr, /approval/);
});

Deno.test("a program a plugin installs in the switch's bin/ is withheld, even one an inert rule makes", async () => {
  await using s = await setup(() =>
    `dune: () => [${
      JSON.stringify(CRUNCH)
    }], install: () => ({ bin: [["Static_htdocs.ml", "dune"]] }),`
  );
  const r = await s.run("configure", "-t", "unix");
  assert.equal(r.code, 0, r.stderr);
  const opam = await s.read(OPAM);
  assert.ok(!opam.includes('"%{bin}%/dune"'), opam);
  assert.match(opam, /"%\{bin\}%\/blinky"/, "the target's own install stays");
  assert.ok(!(await s.read("dist/dune")).includes("(target dune)"));
  assert.ok(r.stderr.includes("installed file bin Static_htdocs.ml as dune"), r.stderr);
});

Deno.test("a project file a plugin would copy into dist/ is withheld", async () => {
  await using s = await setup(() => `install: () => ({ etc: ["id_ed25519"] }),`);
  await Deno.writeTextFile(join(s.dir, "id_ed25519"), "PRIVATE KEY\n");
  const r = await s.run("configure", "-t", "unix");
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!(await s.read("dist/dune")).includes("id_ed25519"));
  assert.ok(!(await s.read(OPAM)).includes("id_ed25519"));
  assert.ok(r.stderr.includes("installed file etc id_ed25519"), r.stderr);
});

Deno.test("an installed file an inert rule of the configuration makes needs no approval", async () => {
  await using s = await setup(() =>
    `dune: () => [${JSON.stringify(CRUNCH)}], install: () => ({ etc: ["Static_htdocs.ml"] }),`
  );
  const r = await s.run("configure", "-t", "unix");
  assert.equal(r.code, 0, r.stderr);
  assert.ok((await s.read("dist/dune")).includes("Static_htdocs.ml"));
  assert.doesNotMatch(r.stderr, /approval/);
});

Deno.test("query shows dune.build as configure wrote it, and says what waits", async () => {
  const rule = `(rule (targets pwned) (action (system "touch PWNED")))`;
  await using s = await setup(() => `dune: () => [${JSON.stringify(rule)}],`);
  assert.equal((await s.run("configure", "-t", "unix")).code, 0);
  const q = await s.run("query", "dune.build", "-t", "unix");
  assert.equal(q.code, 0, q.stderr);
  assert.ok(!q.stdout.includes("PWNED"), q.stdout);
  assert.ok((await s.read("dune.build")).endsWith(q.stdout), "the same text configure wrote");
  assert.match(q.stderr, /not included, waiting for approval/);
  assert.ok(q.stderr.includes(rule) && q.stderr.includes(`unik plugin allow ${s.url}`));
  const once = await s.run("query", "dune.build", "-t", "unix", `--allow-build=${s.url}`);
  assert.ok(once.stdout.includes("PWNED"), "--allow-build shows what it would write");
  assert.equal((await s.run("plugin", "allow", s.url)).code, 0);
  const after = await s.run("query", "dune.build", "-t", "unix");
  assert.ok(after.stdout.includes("PWNED"));
  assert.doesNotMatch(after.stderr, /waiting for approval/);
});

Deno.test("query opam and files show what configure wrote, without what waits", async () => {
  await using s = await setup(
    (evil) => `${PIN(evil)} configure: (_i, io) => { io.writeFile("dune", "(rule)"); },`,
  );
  assert.equal((await s.run("configure", "-t", "unix")).code, 0);
  const opam = await s.run("query", "opam", "-t", "unix");
  assert.equal(opam.code, 0, opam.stderr);
  assert.ok(!opam.stdout.includes(s.evil));
  assert.ok((await s.read(OPAM)).endsWith(opam.stdout), "the same text configure wrote");
  const files = await s.run("query", "files", "-t", "unix");
  assert.doesNotMatch(files.stdout, /(^| )dune( |$)/m);
  assert.match(files.stderr, /file mirage\/dune/);
});

Deno.test("describe -v lists the packages the build uses, and says what waits", async () => {
  await using s = await setup(PIN);
  assert.equal((await s.run("configure", "-t", "unix")).code, 0);
  const d = await s.run("describe", "-v", "-t", "unix");
  assert.equal(d.code, 0, d.stderr);
  const packages = d.stdout.split("\n").find((l) => l.startsWith("Packages")) ?? "";
  assert.match(packages, /mirage-runtime/);
  assert.doesNotMatch(packages, /acme-led/);
  assert.ok(d.stderr.includes(s.evil), d.stderr);
});
