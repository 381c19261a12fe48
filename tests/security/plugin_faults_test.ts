/**
 * An invalid contribution a plugin loaded by URL gives (a dune stanza with control characters,
 * an install that leaves dist/, a reply forged past the sandbox's own checks) is the plugin's
 * fault: exit 4, naming the plugin, as the README's exit-code table says; the same mistake in
 * config.ts is a configuration error (exit 3). Nothing is written either way. The plugin is
 * served by a host on 127.0.0.1 that the test starts.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { freshUnikHome, snapshot, tempProject, unik } from "../helpers.ts";
import { type PluginServer, startServer } from "./plugin_server.ts";
import { forgedReply, ledConfig, ledPlugin } from "./led_plugin.ts";

interface Served {
  server: PluginServer;
  url: string;
  dir: string;
  configure(): ReturnType<typeof unik>;
  [Symbol.asyncDispose](): Promise<void>;
}

async function served(source: string): Promise<Served> {
  const server = await startServer();
  server.serve("/acme/led.ts", source);
  const url = `${server.origin}/acme/led.ts`;
  const dir = await tempProject({ "config.ts": ledConfig(url) });
  const { env } = await freshUnikHome();
  return {
    server,
    url,
    dir,
    configure: () => unik(dir, ["configure", "-t", "unix"], env),
    [Symbol.asyncDispose]: () => server.stop(),
  };
}

/** Configure fails with `code`, says `pattern`, and writes nothing but config.ts. */
async function refused(s: Served, code: number, pattern: RegExp): Promise<string> {
  const r = await s.configure();
  assert.equal(r.code, code, r.stderr);
  assert.match(r.stderr, pattern);
  assert.deepEqual([...(await snapshot(s.dir)).keys()], ["config.ts"]);
  return r.stderr;
}

Deno.test("a plugin's dune stanza with control characters is the plugin's fault (exit 4)", async () => {
  await using s = await served(
    ledPlugin(`dune: () => ["(rule (targets x)\\u001b[2K (action (progn)))"],`),
  );
  const stderr = await refused(s, 4, /not valid dune/);
  assert.ok(stderr.includes(`plugin ${s.url}`), stderr);
});

Deno.test("a plugin's stanza that is not dune is the plugin's fault (exit 4)", async () => {
  await using s = await served(ledPlugin(`dune: () => ["(rule (targets x"],`));
  const stderr = await refused(s, 4, /not valid dune/);
  assert.ok(stderr.includes(`plugin ${s.url}`), stderr);
});

Deno.test("a plugin's install that leaves dist/ is the plugin's fault (exit 4)", async () => {
  await using s = await served(
    ledPlugin(`install: () => ({ bin: [["../../../etc/passwd", "x"]] }),`),
  );
  const stderr = await refused(s, 4, /install bin source/);
  assert.ok(stderr.includes(`plugin ${s.url}`), stderr);
});

Deno.test("a reply forged with a package opam refuses is a plugin fault (exit 4)", async () => {
  const bad =
    `{ name: "x\\"; y", scope: "monorepo", build: false, libs: ["x"], min: [], max: [], from: "" }`;
  await using s = await served(ledPlugin("", forgedReply(`{ packages: [${bad}] }`)));
  const stderr = await refused(s, 4, /reply is forged/);
  assert.ok(stderr.includes(s.url), stderr);
});

Deno.test("a forged hidden mirage/ file said to come from config.ts is a plugin fault (exit 4)", async () => {
  const file = `{ name: ".merlin", contents: "", from: "Unikernel.Main (config.ts:3)" }`;
  await using s = await served(ledPlugin("", forgedReply(`{ hookFiles: [${file}] }`)));
  const stderr = await refused(s, 4, /hidden/);
  assert.ok(stderr.includes(s.url), stderr);
});

Deno.test("a plugin's hook file that would replace the opam file is a plugin fault (exit 4)", async () => {
  await using s = await served(
    ledPlugin(`configure: (_i, io) => { io.writeFile("blinky-unix.opam", "build: []"); },`),
  );
  const stderr = await refused(s, 4, /not a generated file/);
  assert.ok(stderr.includes(s.url), stderr);
});

Deno.test("a malformed reply with a plugin loaded is a plugin fault (exit 4)", async () => {
  await using s = await served(ledPlugin("", forgedReply(`{ stanzas: 42 }`)));
  const stderr = await refused(s, 4, /malformed data/);
  assert.ok(stderr.includes(s.url), stderr);
});

Deno.test("config.ts's own stanza that is not dune stays a configuration error (exit 3)", async () => {
  const dir = await tempProject({
    "config.ts": `import { impl, job, main, register, typ } from "unik";
const tool = impl("Tool", typ("tool"), { dune: () => ["(rule (targets x\\u0007)"] });
export default register("own", [main("Unikernel.Main", job, { deps: [tool] })]);
`,
  });
  const r = await unik(dir, ["configure", "-t", "unix"]);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /not valid dune/);
  assert.equal(await Deno.stat(join(dir, "dune.build")).catch(() => undefined), undefined);
});
