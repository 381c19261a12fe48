/**
 * Third-party plugins by URL: locking, verification, the cache, registries and the sandbox,
 * against a plugin host and registry served on 127.0.0.1 by the tests themselves.
 */

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { freshUnikHome, REPO, snapshot, tempProject, unik } from "./helpers.ts";
import { type PluginHost, startPluginHost } from "./plugin_host.ts";

const ACME_FILES = ["acme/led.ts", "acme/names.ts"];

/** The integrity of a plugin, computed the way the README documents it. */
async function integrityOf(entryPath: string, paths: readonly string[]): Promise<string> {
  const dir = entryPath.slice(0, entryPath.lastIndexOf("/") + 1);
  const lines = [];
  for (const p of paths) {
    const bytes = await Deno.readFile(join(REPO, "tests/fixtures/plugins", p));
    const sha = createHash("sha256").update(bytes).digest("hex");
    lines.push(`${sha}  ${p.startsWith(dir) ? p.slice(dir.length) : p}\n`);
  }
  return "sha256-" + createHash("sha256").update(lines.sort().join("")).digest("hex");
}

function ledConfig(url: string, extra = ""): string {
  return `import { apply, fn, job, main, register } from "unik";
import { acmeLed, led } from "${url}";
${extra}
const app = main("Unikernel.Main", fn(led, job));
export default register("blinky", [apply(app, acmeLed({ pin: 4 }))]);
`;
}

interface Fixture {
  host: PluginHost;
  dir: string;
  env: Record<string, string>;
  run(...args: string[]): ReturnType<typeof unik>;
  lock(): Promise<Record<string, unknown>>;
  [Symbol.asyncDispose](): Promise<void>;
}

async function fixture(config: (origin: string) => string): Promise<Fixture> {
  const host = await startPluginHost();
  const dir = await tempProject({ "config.ts": config(host.origin) });
  const { env } = await freshUnikHome();
  let stopped = false;
  return {
    host,
    dir,
    env,
    run: (...args) => unik(dir, args, env),
    lock: async () => JSON.parse(await Deno.readTextFile(join(dir, "unik.lock"))).plugins,
    async [Symbol.asyncDispose]() {
      if (!stopped) await host.stop().catch(() => {});
      stopped = true;
    },
  };
}

async function freshCache(f: Fixture): Promise<void> {
  await Deno.remove(join(f.env.UNIK_CACHE_DIR, "plugins"), { recursive: true });
}

Deno.test("the first configure with a URL plugin locks every module of its graph", async () => {
  await using f = await fixture((o) => ledConfig(`${o}/acme/led.ts`));
  const r = await f.run("configure", "-t", "unix");
  assert.equal(r.code, 0, r.stderr);
  const entry = `${f.host.origin}/acme/led.ts`;
  const locked = (await f.lock())[entry] as { integrity: string; modules: object };
  assert.equal(locked.integrity, await integrityOf("acme/led.ts", ACME_FILES));
  assert.deepEqual(Object.keys(locked.modules).sort(), [
    entry,
    `${f.host.origin}/acme/names.ts`,
  ]);
  const main = await Deno.readTextFile(join(f.dir, "mirage/main.ml"));
  assert.match(main, /Unikernel\.Main\(Acme_led\)/);
  assert.match(main, /Acme_led\.connect ~pin:4 \(\)/);
});

Deno.test("a locked, cached plugin configures with its host stopped", async () => {
  await using f = await fixture((o) => ledConfig(`${o}/acme/led.ts`));
  assert.equal((await f.run("configure", "-t", "unix")).code, 0);
  await f.host.stop();
  await Deno.remove(join(f.dir, "mirage"), { recursive: true });
  const r = await f.run("configure", "-t", "unix");
  assert.equal(r.code, 0, r.stderr);
  assert.match(await Deno.readTextFile(join(f.dir, "mirage/main.ml")), /Acme_led/);
});

Deno.test("a plugin whose content changed after locking is refused and nothing is written", async () => {
  await using f = await fixture((o) => ledConfig(`${o}/acme/led.ts`));
  assert.equal((await f.run("configure", "-t", "unix")).code, 0);
  const before = await snapshot(f.dir);
  await freshCache(f);
  const original = await Deno.readTextFile(join(REPO, "tests/fixtures/plugins/acme/names.ts"));
  f.host.set("/acme/names.ts", original.replace("Acme_led", "Evil_led"));
  const r = await f.run("configure", "-t", "unix");
  assert.equal(r.code, 4);
  assert.match(
    r.stderr,
    /plugin http:\/\/127\.0\.0\.1:\d+\/acme\/led\.ts has changed since it was locked/,
  );
  assert.match(r.stderr, /acme\/names\.ts has sha256 [0-9a-f]{64}, unik\.lock records/);
  assert.match(r.stderr, /unik plugin update/);
  assert.deepEqual(await snapshot(f.dir), before);
});

Deno.test("a tampered cache entry is ignored and the plugin downloaded again", async () => {
  await using f = await fixture((o) => ledConfig(`${o}/acme/led.ts`));
  assert.equal((await f.run("configure", "-t", "unix")).code, 0);
  const cacheDir = join(f.env.UNIK_CACHE_DIR, "plugins");
  for await (const e of Deno.readDir(cacheDir)) {
    await Deno.writeTextFile(join(cacheDir, e.name), 'export const meta = { name: "x" };');
  }
  const requestsBefore = f.host.requests.length;
  const r = await f.run("configure", "-t", "unix");
  assert.equal(r.code, 0, r.stderr);
  assert.ok(f.host.requests.length > requestsBefore);
});

Deno.test("--frozen refuses a plugin unik.lock does not record", async () => {
  await using f = await fixture((o) => ledConfig(`${o}/acme/led.ts`));
  const r = await f.run("configure", "-t", "unix", "--frozen");
  assert.equal(r.code, 4);
  assert.match(r.stderr, /unik\.lock does not record the plugin .*acme\/led\.ts \(--frozen\)/);
  assert.deepEqual([...(await snapshot(f.dir)).keys()], ["config.ts"]);
});

Deno.test("--frozen configures when every plugin is locked", async () => {
  await using f = await fixture((o) => ledConfig(`${o}/acme/led.ts`));
  assert.equal((await f.run("configure", "-t", "unix")).code, 0);
  const lock = await Deno.readTextFile(join(f.dir, "unik.lock"));
  const r = await f.run("configure", "-t", "unix", "--frozen");
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await Deno.readTextFile(join(f.dir, "unik.lock")), lock);
});

Deno.test("a dry run verifies plugins but writes no lock", async () => {
  await using f = await fixture((o) => ledConfig(`${o}/acme/led.ts`));
  const r = await f.run("configure", "-t", "unix", "--dry-run");
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual([...(await snapshot(f.dir)).keys()], ["config.ts"]);
});

Deno.test("a plugin imported by file: URL is locked like a remote one", async () => {
  const acme = (f: string) => Deno.readTextFile(join(REPO, "tests/fixtures/plugins/acme", f));
  const dir = await tempProject({
    "acme/led.ts": await acme("led.ts"),
    "acme/names.ts": await acme("names.ts"),
  });
  const plugin = join(dir, "acme/led.ts");
  await Deno.writeTextFile(join(dir, "config.ts"), ledConfig(`file://${plugin}`));
  const cache = await Deno.makeTempDir();
  const r = await unik(dir, ["configure", "-t", "unix"], { UNIK_CACHE_DIR: cache });
  assert.equal(r.code, 0, r.stderr);
  const lock = JSON.parse(await Deno.readTextFile(join(dir, "unik.lock")));
  assert.equal(
    lock.plugins[`file://${plugin}`].integrity,
    await integrityOf("acme/led.ts", ACME_FILES),
  );
});

Deno.test("a third-party plugin works alongside the standard plugins", async () => {
  await using f = await fixture((o) =>
    `import { apply, fn, job, kvRo, main, register } from "unik";
import { crunch } from "unik/plugins/kv.ts";
import { genericStackv4v6 } from "unik/plugins/stack.ts";
import { defaultNetwork } from "unik/plugins/network.ts";
import { acmeLed, led } from "${o}/acme/led.ts";
import { stackv4v6 } from "unik";

const app = main("Unikernel.Main", fn(led, kvRo, stackv4v6, job));
export default register("mixed", [
  apply(app, acmeLed(), crunch("htdocs"), genericStackv4v6(defaultNetwork)),
]);
`
  );
  await Deno.mkdir(join(f.dir, "htdocs"));
  const r = await f.run("configure", "-t", "unix");
  assert.equal(r.code, 0, r.stderr);
  const main = await Deno.readTextFile(join(f.dir, "mirage/main.ml"));
  assert.match(main, /Acme_led\.connect ~pin:17 \(\)/);
  assert.match(main, /Static_htdocs\.connect/);
  const opam = await Deno.readTextFile(join(f.dir, "mirage/mixed-unix.opam"));
  assert.match(opam, /"acme-led" \{ \?monorepo & >= "1\.2\.0" & < "2\.0\.0" \}/);
  assert.match(opam, /"tcpip"/);
});

// --- registries and `unik plugin` ---

async function registryYaml(origin: string, extra = ""): Promise<string> {
  return `registry: 1
name: acme
plugins:
  - name: acme-led
    description: "A status LED: blink it"
    versions:
      - version: 1.0.0
        url: ${origin}/acme/old-led.ts
        sha256: "${"0".repeat(64)}"
      - version: 1.2.0
        url: acme/led.ts
        sha256: ${await integrityOf("acme/led.ts", ACME_FILES)}
        targets: [unix, hvt, spt]
        unik: ">=0.1.0 <1.0.0"
${extra}`;
}

async function registryFixture(): Promise<Fixture> {
  const f = await fixture((o) => ledConfig(`${o}/acme/led.ts`));
  f.host.set("/index.yaml", await registryYaml(f.host.origin));
  await Deno.writeTextFile(
    join(f.dir, "unik.yaml"),
    `registries:\n  - ${f.host.origin}/index.yaml\n`,
  );
  return f;
}

Deno.test("plugin search lists the matching plugins of the project's registries", async () => {
  await using f = await registryFixture();
  const r = await f.run("plugin", "search", "blink");
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^NAME +VERSION +TARGETS +DESCRIPTION$/m);
  assert.match(r.stdout, /^acme-led +1\.2\.0 +unix,hvt,spt +A status LED: blink it$/m);
  assert.doesNotMatch(r.stdout, /^kv /m);
});

Deno.test("plugin search finds the standard plugins in the default registry", async () => {
  const dir = await tempProject({});
  const r = await unik(dir, ["plugin", "search", "key-value"], { HOME: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^kv +0\.1\.0 +all +Key-value stores/m);
});

Deno.test("plugin add resolves a range, checks the registry hash and locks name and version", async () => {
  await using f = await registryFixture();
  const r = await f.run("plugin", "add", "acme-led@^1.1");
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Added acme-led 1\.2\.0 to unik\.lock/);
  const locked = (await f.lock())[`${f.host.origin}/acme/led.ts`] as Record<string, string>;
  assert.equal(locked.name, "acme-led");
  assert.equal(locked.version, "1.2.0");
  assert.equal(locked.registry, `${f.host.origin}/index.yaml`);
  await f.host.stop();
  const c = await f.run("configure", "-t", "unix");
  assert.equal(c.code, 0, c.stderr);
});

Deno.test("plugin add refuses content that does not match the registry's hash", async () => {
  await using f = await registryFixture();
  f.host.set("/acme/names.ts", 'export const ledModule = "Evil";\n');
  const r = await f.run("plugin", "add", "acme-led");
  assert.equal(r.code, 4);
  assert.match(
    r.stderr,
    /acme-led 1\.2\.0 .* does not match its registry: the registry says sha256-/,
  );
  assert.deepEqual([...(await snapshot(f.dir)).keys()], ["config.ts", "unik.yaml"]);
});

Deno.test("plugin add explains a range no version satisfies", async () => {
  await using f = await registryFixture();
  const r = await f.run("plugin", "add", "acme-led@^2");
  assert.equal(r.code, 4);
  assert.match(r.stderr, /plugin acme-led has no version in \^2 \(available: 1\.0\.0, 1\.2\.0\)/);
});

Deno.test("plugin add of a standard plugin says how to import it", async () => {
  const dir = await tempProject({});
  const r = await unik(dir, ["plugin", "add", "kv"], { HOME: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /standard plugin.*\n.*from "unik\/plugins\/kv\.ts"/);
});

Deno.test("a malformed registry is reported with its URL and the bad field", async () => {
  await using f = await registryFixture();
  f.host.set("/index.yaml", "registry: 1\nplugins:\n  - name: Bad Name\n    versions: []\n");
  const r = await f.run("plugin", "search");
  assert.equal(r.code, 4);
  assert.match(
    r.stderr,
    /registry http:\/\/127\.0\.0\.1:\d+\/index\.yaml is malformed: plugins\[0\]\.name: expected a lower-case name/,
  );
  assert.match(r.stderr, /plugins\[0\]\.versions: Too small/i);
});

Deno.test("plugin verify passes, then fails once the host serves other content", async () => {
  await using f = await registryFixture();
  assert.equal((await f.run("configure", "-t", "unix")).code, 0);
  const ok = await f.run("plugin", "verify");
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /^ok +http:.*acme\/led\.ts$/m);
  f.host.set("/acme/led.ts", "export const meta = {};\n");
  const bad = await f.run("plugin", "verify");
  assert.equal(bad.code, 4);
  assert.match(bad.stdout, /^FAILED .*\n {2}http:.*acme\/led\.ts changed/m);
});

Deno.test("plugin update re-locks the new content of a plugin locked by URL", async () => {
  await using f = await fixture((o) => ledConfig(`${o}/acme/led.ts`));
  assert.equal((await f.run("configure", "-t", "unix")).code, 0);
  const before = await f.lock();
  f.host.set("/acme/names.ts", 'export const ledModule = "Acme_led2";\n');
  const r = await f.run("plugin", "update");
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Updated http:.*acme\/led\.ts: sha256-\w+ -> sha256-\w+/);
  assert.notDeepEqual(await f.lock(), before);
  await freshCache(f);
  const c = await f.run("configure", "-t", "unix");
  assert.equal(c.code, 0, c.stderr);
  assert.match(await Deno.readTextFile(join(f.dir, "mirage/main.ml")), /Acme_led2/);
});

Deno.test("plugin update moves a registry plugin to its newest version", async () => {
  await using f = await registryFixture();
  assert.equal((await f.run("plugin", "add", "acme-led@1.2.0")).code, 0);
  const led13 = (await Deno.readTextFile(join(REPO, "tests/fixtures/plugins/acme/led.ts")))
    .replace('version: "1.2.0"', 'version: "1.3.0"').replace("./names.ts", "./names.ts#v13");
  f.host.set("/acme/led-1.3.0.ts", led13);
  const sha = (s: string) => createHash("sha256").update(s).digest("hex");
  const names = await Deno.readTextFile(join(REPO, "tests/fixtures/plugins/acme/names.ts"));
  const integrity = "sha256-" +
    sha([`${sha(led13)}  led-1.3.0.ts\n`, `${sha(names)}  names.ts\n`].sort().join(""));
  f.host.set(
    "/index.yaml",
    await registryYaml(
      f.host.origin,
      `      - version: 1.3.0\n        url: acme/led-1.3.0.ts\n        sha256: ${integrity}\n`,
    ),
  );
  const r = await f.run("plugin", "update", "acme-led");
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Updated acme-led 1\.2\.0 -> 1\.3\.0/);
  const lock = await f.lock();
  assert.deepEqual(Object.keys(lock), [`${f.host.origin}/acme/led-1.3.0.ts`]);
});

Deno.test("plugin remove drops the entry and warns while config.ts still imports it", async () => {
  await using f = await fixture((o) => ledConfig(`${o}/acme/led.ts`));
  assert.equal((await f.run("configure", "-t", "unix")).code, 0);
  const r = await f.run("plugin", "remove", `${f.host.origin}/acme/led.ts`);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await f.lock(), {});
  assert.match(r.stderr, /config\.ts still imports .*the next configure will lock it again/);
  const missing = await f.run("plugin", "remove", "nothing-here");
  assert.equal(missing.code, 4);
  assert.match(missing.stderr, /unik\.lock has no plugin nothing-here/);
});

Deno.test("plugin list shows locked plugins and whether they are cached", async () => {
  await using f = await fixture((o) => ledConfig(`${o}/acme/led.ts`));
  assert.equal((await f.run("configure", "-t", "unix")).code, 0);
  assert.match(
    (await f.run("plugin", "list")).stdout,
    /^- +- +cached +not approved +http:.*acme\/led\.ts$/m,
  );
  await freshCache(f);
  assert.match((await f.run("plugin", "list")).stdout, /^- +- +not cached +not approved +http:/m);
});

Deno.test("a malformed unik.lock is reported with the bad field", async () => {
  await using f = await fixture((o) => ledConfig(`${o}/acme/led.ts`));
  await Deno.writeTextFile(
    join(f.dir, "unik.lock"),
    JSON.stringify({
      version: 1,
      plugins: { [`${f.host.origin}/acme/led.ts`]: { integrity: "x" } },
    }),
  );
  const r = await f.run("configure", "-t", "unix");
  assert.equal(r.code, 4);
  assert.match(
    r.stderr,
    /unik\.lock is malformed: plugins\.http:.*\.integrity: expected sha256-<hex>/,
  );
});

// --- malformed and incompatible plugins ---

function thingConfig(url: string, use: string): string {
  return `import { register } from "unik";
import * as plugin from "${url}";
${use}
export default register("t", []);
`;
}

Deno.test("a plugin with a malformed manifest is refused, naming the fields", async () => {
  await using f = await fixture((o) => thingConfig(`${o}/bad/meta.ts`, ""));
  const r = await f.run("configure", "-t", "unix");
  assert.equal(r.code, 4);
  assert.match(
    r.stderr,
    /plugin http:.*\/bad\/meta\.ts: export meta is invalid: version: expected a semver version; targets\[1\]: unknown target/,
  );
});

Deno.test("a device constructor returning an invalid device is refused, naming the export and field", async () => {
  await using f = await fixture((o) => thingConfig(`${o}/bad/device.ts`, "plugin.brokenGadget();"));
  const r = await f.run("configure", "-t", "unix");
  assert.equal(r.code, 4);
  assert.match(
    r.stderr,
    /plugin bad-device 0\.1\.0 \(http:.*\): export brokenGadget returned an invalid device: options\.packages\[0\]\.name: /,
  );
});

Deno.test("a plugin exporting something that is not a device is refused", async () => {
  await using f = await fixture((o) => thingConfig(`${o}/bad/export.ts`, ""));
  const r = await f.run("configure", "-t", "unix");
  assert.equal(r.code, 4);
  assert.match(r.stderr, /plugin bad-export 0\.1\.0 .*: export answer is a number/);
});

Deno.test("a plugin that does not support the chosen target is refused", async () => {
  await using f = await fixture((o) => thingConfig(`${o}/picky/xen_only.ts`, ""));
  const r = await f.run("configure", "-t", "hvt");
  assert.equal(r.code, 4);
  assert.match(
    r.stderr,
    /plugin xen-thing 1\.0\.0 .* does not support the target hvt \(it supports xen, qubes\)/,
  );
  assert.equal((await f.run("configure", "-t", "xen")).code, 0);
});

Deno.test("a plugin requiring another unik version is refused", async () => {
  await using f = await fixture((o) => thingConfig(`${o}/picky/future.ts`, ""));
  const r = await f.run("configure", "-t", "unix");
  assert.equal(r.code, 4);
  assert.match(r.stderr, /plugin future 3\.0\.0 .* requires unik >=2\.0\.0; this is unik 0\.1\.0/);
});

// --- the sandbox ---

async function assertStopped(path: string, use: string, tried: RegExp): Promise<Fixture> {
  const f = await fixture((o) => thingConfig(`${o}${path}`, use));
  const before = await snapshot(f.dir);
  const r = await f.run("configure", "-t", "unix");
  assert.equal(r.code, 4, r.stderr);
  assert.match(
    r.stderr,
    /plugin (evil-\w+ 0\.1\.0 \()?http:\/\/127\.0\.0\.1:\d+\/evil\/\w+\.ts\)? was stopped/,
  );
  assert.match(r.stderr, tried);
  assert.deepEqual(await snapshot(f.dir), before, "nothing written");
  return f;
}

Deno.test("a plugin reading a file outside the project is stopped", async () => {
  await using _ = await assertStopped("/evil/read.ts", "", /tried to read "\/etc\/hostname"/);
});

Deno.test("a plugin writing a file is stopped and nothing is written", async () => {
  await using _ = await assertStopped(
    "/evil/write.ts",
    "plugin.dropper();",
    /tried to write "pwned\.txt"/,
  );
});

Deno.test("a plugin running a program is stopped", async () => {
  await Deno.remove("/tmp/unik-evil-spawn").catch(() => {});
  await using _ = await assertStopped("/evil/spawn.ts", "", /tried to run "touch"/);
  await assert.rejects(Deno.stat("/tmp/unik-evil-spawn"));
});

Deno.test("a plugin calling a host is stopped before any request leaves", async () => {
  await using f = await assertStopped("/evil/net.ts", "", /tried to reach "127\.0\.0\.1:\d+"/);
  assert.ok(!f.host.requests.includes("/exfiltrate"));
});

Deno.test("a plugin reading the environment is stopped", async () => {
  await using _ = await assertStopped(
    "/evil/env.ts",
    "",
    /tried to read the environment variable "HOME"/,
  );
});
