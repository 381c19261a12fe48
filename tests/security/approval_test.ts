/**
 * Consent for third-party build contributions: a plugin loaded by URL that adds a host command
 * to the build (a dune action, a dune file in mirage/) has it withheld by configure and refused
 * by build until the user approves that plugin for its exact content. The plugin is served by a
 * host on 127.0.0.1 that the test starts; the toolchain is fake (PATH-injected, recording every
 * call) because the point is that nothing runs at all.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { fakeToolchain, freshUnikHome, tempProject, unik, unikProcess } from "../helpers.ts";
import { type PluginServer, startServer } from "./plugin_server.ts";
import { forgedReply } from "./led_plugin.ts";
import { showWithheld } from "../../lib/plugins/approval.ts";

const HOST_RULE = `(rule (targets pwned) (action (system "touch PWNED")))`;
const CRUNCH_RULE = `(rule
 (targets Static_htdocs.ml Static_htdocs.mli)
 (deps (source_tree htdocs))
 (action
  (run ocaml-crunch -o Static_htdocs.ml htdocs)))`;

/** A LED plugin whose device adds `stanzas` to dune.build; `top` runs when it loads. */
function plugin(stanzas: readonly string[], options: { top?: string; hook?: string } = {}) {
  return `import { impl, typ } from "unik";
${options.top ?? ""}
export const meta = { name: "acme-led", version: "1.0.0" };
export const led = typ("led");
export const acmeLed = () => impl("Acme_led", led, {
  connect: (_i, m) => \`\${m}.connect ()\`,
  dune: () => ${JSON.stringify(stanzas)},
  ${options.hook ? `configure: (_i, io) => { ${options.hook} },` : ""}
});
`;
}

function config(urls: readonly string[], own = ""): string {
  const imports = urls.map((u, i) => `import * as p${i} from "${u}";`).join("\n");
  const devices = urls.map((_u, i) => `p${i}.acmeLed()`);
  const types = urls.map((_u, i) => `p${i}.led`);
  return `import { apply, fn, impl, job, main, register, typ } from "unik";
${imports}
${own}
const app = main("Unikernel.Main", fn(${[...types, "job"].join(", ")}));
export default register("blinky", [apply(app, ${devices.join(", ")})]);
`;
}

interface Setup {
  server: PluginServer;
  dir: string;
  env: Record<string, string>;
  url: string;
  run(...args: string[]): ReturnType<typeof unik>;
  duneBuild(): Promise<string>;
  lock(): Promise<Record<string, { integrity: string; allowBuild?: string }>>;
  [Symbol.asyncDispose](): Promise<void>;
}

async function setup(source: string, configOf = (url: string) => config([url])): Promise<Setup> {
  const server = await startServer();
  server.serve("/acme/led.ts", source);
  const url = `${server.origin}/acme/led.ts`;
  const dir = await tempProject({ "config.ts": configOf(url) });
  const { env } = await freshUnikHome();
  return {
    server,
    dir,
    env,
    url,
    run: (...args) => unik(dir, args, env),
    duneBuild: () => Deno.readTextFile(join(dir, "dune.build")),
    lock: async () => JSON.parse(await Deno.readTextFile(join(dir, "unik.lock"))).plugins,
    [Symbol.asyncDispose]: () => server.stop(),
  };
}

Deno.test("configure withholds an unapproved host command and says how to approve it", async () => {
  await using s = await setup(plugin([HOST_RULE]));
  const r = await s.run("configure", "-t", "unix");
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!(await s.duneBuild()).includes("PWNED"), "the stanza is not in dune.build");
  assert.match(await s.duneBuild(), /\(executable/);
  assert.ok(r.stderr.includes(HOST_RULE), r.stderr);
  assert.ok(r.stderr.includes(`unik plugin allow ${s.url}`), r.stderr);
  const record = JSON.parse(await Deno.readTextFile(join(s.dir, "mirage/withheld.json")));
  assert.equal(record.withheld[0].text, HOST_RULE);
  assert.equal(record.withheld[0].needs[0].entry, s.url);
});

Deno.test("build refuses an unapproved host command before running anything", async () => {
  await using s = await setup(plugin([HOST_RULE]));
  const fake = await fakeToolchain();
  const r = await unikProcess(s.dir, ["build", "-t", "unix"], { ...s.env, ...fake.env });
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /not building/);
  assert.ok(r.stderr.includes(HOST_RULE) && r.stderr.includes(s.url), r.stderr);
  assert.deepEqual(await fake.calls(), []);
});

Deno.test("once the plugin is allowed, build writes and runs its stanza", async () => {
  await using s = await setup(plugin([HOST_RULE]));
  assert.equal((await s.run("configure", "-t", "unix")).code, 0);
  const allowed = await s.run("plugin", "allow", s.url);
  assert.equal(allowed.code, 0, allowed.stderr);
  assert.ok(allowed.stdout.includes(HOST_RULE), "allow shows what it approves");
  const locked = (await s.lock())[s.url];
  assert.equal(locked.allowBuild, locked.integrity);
  const fake = await fakeToolchain();
  const r = await unikProcess(s.dir, ["build", "-t", "unix"], { ...s.env, ...fake.env });
  assert.equal(r.code, 0, r.stderr);
  assert.ok((await s.duneBuild()).includes(HOST_RULE));
  assert.ok((await fake.calls()).some((c) => c.tool === "dune"));
  assert.match((await s.run("plugin", "list")).stdout, /cached +approved +http:/);
});

Deno.test("a new plugin hash needs a new approval", async () => {
  await using s = await setup(plugin([HOST_RULE]));
  assert.equal((await s.run("configure", "-t", "unix")).code, 0);
  assert.equal((await s.run("plugin", "allow", s.url)).code, 0);
  s.server.serve("/acme/led.ts", plugin([HOST_RULE.replace("PWNED", "PWNED2")]));
  assert.equal((await s.run("plugin", "update", s.url)).code, 0);
  const r = await s.run("configure", "-t", "unix");
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!(await s.duneBuild()).includes("PWNED"));
  assert.match(r.stderr, /waiting for approval/);
  assert.match((await s.run("plugin", "list")).stdout, /not approved/);
});

Deno.test("an approval recorded for other content does not hold", async () => {
  await using s = await setup(plugin([HOST_RULE]));
  assert.equal((await s.run("configure", "-t", "unix")).code, 0);
  const lockPath = join(s.dir, "unik.lock");
  const lock = JSON.parse(await Deno.readTextFile(lockPath));
  lock.plugins[s.url].allowBuild = `sha256-${"0".repeat(64)}`;
  await Deno.writeTextFile(lockPath, JSON.stringify(lock));
  const r = await s.run("configure", "-t", "unix");
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!(await s.duneBuild()).includes("PWNED"));
  assert.match((await s.run("plugin", "list")).stdout, /approval outdated/);
});

const CLAIMED = `from: "Unikernel.Main (config.ts:3)", definedIn: "file:///project/config.ts"`;

Deno.test("a host command the plugin attributes to config.ts still needs the plugin's approval", async () => {
  const forge = forgedReply(
    `{ stanzas: [{ kind: "target" }, { kind: "device", text: ${
      JSON.stringify(HOST_RULE)
    }, ${CLAIMED} }] }`,
  );
  await using s = await setup(plugin([HOST_RULE], { top: forge }));
  const r = await s.run("configure", "-t", "unix");
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!(await s.duneBuild()).includes("PWNED"));
  assert.match(r.stderr, /said to come from config\.ts or unik/);
  assert.ok(r.stderr.includes(`unik plugin allow ${s.url}`));
});

Deno.test("a host command the reply hides in a mirage/ dune file is not written", async () => {
  const forge = forgedReply(
    `{ hookFiles: [{ name: "dune", contents: ${JSON.stringify(HOST_RULE)}, ${CLAIMED} }] }`,
  );
  await using s = await setup(plugin([HOST_RULE], { top: forge }));
  const r = await s.run("configure", "-t", "unix");
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!(await s.duneBuild()).includes("PWNED"), "dune.build is unik's, not the reply's");
  const mirageDune = await Deno.readTextFile(join(s.dir, "mirage/dune")).catch(() => "");
  assert.ok(!mirageDune.includes("PWNED"), "the forged dune file is withheld");
});

Deno.test("with two third-party plugins, approving one does not approve a host command", async () => {
  const server = await startServer();
  try {
    server.serve("/b/led.ts", plugin([]).replaceAll("acme-led", "b-led"));
    await using s = await setup(
      plugin([HOST_RULE]),
      (url) => config([url, `${server.origin}/b/led.ts`]),
    );
    assert.equal((await s.run("configure", "-t", "unix")).code, 0);
    assert.equal((await s.run("plugin", "allow", s.url)).code, 0);
    const r = await s.run("configure", "-t", "unix");
    assert.ok(!(await s.duneBuild()).includes("PWNED"), "either plugin could have claimed it");
    assert.ok(r.stderr.includes(`unik plugin allow ${server.origin}/b/led.ts`), r.stderr);
    assert.equal((await s.run("plugin", "allow", `${server.origin}/b/led.ts`)).code, 0);
    assert.equal((await s.run("configure", "-t", "unix")).code, 0);
    assert.ok((await s.duneBuild()).includes("PWNED"));
  } finally {
    await server.stop();
  }
});

Deno.test("config.ts's own host command needs no approval when no third-party plugin is loaded", async () => {
  const dir = await tempProject({
    "config.ts": `import { impl, job, main, register, typ } from "unik";
const tool = impl("Tool", typ("tool"), { dune: () => [${JSON.stringify(HOST_RULE)}] });
export default register("own", [main("Unikernel.Main", job, { deps: [tool] })]);
`,
  });
  const r = await unik(dir, ["configure", "-t", "unix"]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok((await Deno.readTextFile(join(dir, "dune.build"))).includes("PWNED"));
  assert.doesNotMatch(r.stderr, /approval/);
});

Deno.test("an inert stanza of a third-party plugin needs no approval", async () => {
  await using s = await setup(plugin([CRUNCH_RULE]));
  const r = await s.run("configure", "-t", "unix");
  assert.equal(r.code, 0, r.stderr);
  assert.ok((await s.duneBuild()).includes("ocaml-crunch -o Static_htdocs.ml htdocs"));
  assert.doesNotMatch(r.stderr, /approval/);
});

Deno.test("--allow-build approves for one run only", async () => {
  await using s = await setup(plugin([HOST_RULE]));
  const once = await s.run("configure", "-t", "unix", `--allow-build=${s.url}`);
  assert.equal(once.code, 0, once.stderr);
  assert.ok((await s.duneBuild()).includes("PWNED"));
  assert.equal((await s.lock())[s.url].allowBuild, undefined);
  assert.equal((await s.run("configure", "-t", "unix")).code, 0);
  assert.ok(!(await s.duneBuild()).includes("PWNED"));
});

Deno.test("--allow-build naming no loaded plugin is a usage error", async () => {
  await using s = await setup(plugin([HOST_RULE]));
  const r = await s.run("configure", "-t", "unix", "--allow-build=nothing-here");
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /--allow-build=nothing-here/);
});

Deno.test("a dune file a plugin writes into mirage/ is withheld", async () => {
  await using s = await setup(
    plugin([], { hook: `io.writeFile("dune", ${JSON.stringify(HOST_RULE)});` }),
  );
  const r = await s.run("configure", "-t", "unix");
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await Deno.stat(join(s.dir, "mirage/dune")).catch(() => undefined), undefined);
  assert.ok(!(await s.duneBuild()).includes("mirage/dune"));
  assert.match(r.stderr, /file mirage\/dune/);
});

Deno.test("plugin remove drops the approval with the plugin", async () => {
  await using s = await setup(plugin([HOST_RULE]));
  assert.equal((await s.run("configure", "-t", "unix")).code, 0);
  assert.equal((await s.run("plugin", "allow", s.url)).code, 0);
  assert.equal((await s.run("plugin", "remove", s.url)).code, 0);
  assert.equal((await s.run("configure", "-t", "unix")).code, 0);
  assert.equal((await s.lock())[s.url].allowBuild, undefined);
  assert.ok(!(await s.duneBuild()).includes("PWNED"));
});

Deno.test("plugin describe shows the approval and what waits for it", async () => {
  await using s = await setup(plugin([HOST_RULE]));
  assert.equal((await s.run("configure", "-t", "unix")).code, 0);
  const before = await s.run("plugin", "describe", s.url);
  assert.equal(before.code, 0, before.stderr);
  assert.match(before.stdout, /build: +not approved/);
  assert.ok(before.stdout.includes(HOST_RULE), "the withheld stanza is shown");
  assert.equal((await s.run("plugin", "allow", s.url)).code, 0);
  assert.equal((await s.run("configure", "-t", "unix")).code, 0);
  const after = await s.run("plugin", "describe", s.url);
  assert.match(after.stdout, /build: +approved/);
  assert.ok(!after.stdout.includes("withheld"), "nothing waits any more");
});

Deno.test("the list of withheld contributions sends no escape sequence to the terminal", () => {
  const p = {
    entry: "http://127.0.0.1:1/p.ts",
    integrity: `sha256-${"a".repeat(64)}`,
    modules: [],
  };
  const shown = showWithheld([{
    contribution: {
      kind: "dune",
      text: `(rule (action (system "x")))\x1b[2K\x1b[1A\rok`,
      device: "D\x1b]0;t\x07",
    },
    reason: "its action runs a shell command",
    needs: [p],
  }]);
  // deno-lint-ignore no-control-regex
  assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(shown), shown);
  assert.match(shown, /\\u\{1b\}\[2K/);
});
