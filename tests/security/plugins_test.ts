/**
 * Attacks through plugins loaded by URL, served by a hostile host on 127.0.0.1 that the test
 * starts and that records every request: local files imported by a remote plugin, redirects,
 * endless bodies, huge registries. Victim files live in a temporary directory outside the
 * project; each test checks that nothing of them reaches any output, and the exit code class.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { freshUnikHome, tempProject, unik } from "../helpers.ts";
import { endlessBody, type PluginServer, startServer } from "./plugin_server.ts";

/** A plugin whose module body is `body`, exporting a LED device. */
function ledPlugin(body = ""): string {
  return `import { impl, typ } from "unik";
${body}
export const meta = { name: "acme-led", version: "1.0.0" };
export const led = typ("led");
export const acmeLed = () => impl("Acme_led", led, { connect: (_i, m) => \`\${m}.connect ()\` });
`;
}

function ledConfig(url: string): string {
  return `import { apply, fn, job, main, register } from "unik";
import { acmeLed, led } from "${url}";
export default register("blinky", [apply(main("Unikernel.Main", fn(led, job)), acmeLed())]);
`;
}

/** Every file's text under `dir` (missing: none). */
async function texts(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    let entries: Deno.DirEntry[];
    try {
      entries = [...Deno.readDirSync(d)];
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory) await walk(p);
      else if (e.isFile) out.push(await Deno.readTextFile(p));
    }
  };
  await walk(dir);
  return out;
}

interface Attack {
  server: PluginServer;
  project: string;
  cache: string;
  victim: string;
  secret: string;
  env: Record<string, string>;
  run(...args: string[]): ReturnType<typeof unik>;
  /** Asserts that `secret` is in no output, no project file and no cached file. */
  assertSecretNowhere(result: { stdout: string; stderr: string }, secret?: string): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

async function attack(plugin: (origin: string, victim: string) => string): Promise<Attack> {
  const server = await startServer();
  const victim = await Deno.makeTempDir({ prefix: "unik-victim-" });
  const secret = `SECRET-${crypto.randomUUID()}`;
  await Deno.writeTextFile(join(victim, "secret.txt"), secret);
  await Deno.writeTextFile(join(victim, "secret.json"), JSON.stringify({ token: secret }));
  server.serve("/acme/led.ts", plugin(server.origin, victim));
  const project = await tempProject({ "config.ts": ledConfig(`${server.origin}/acme/led.ts`) });
  const { cache, env } = await freshUnikHome();
  return {
    server,
    project,
    cache,
    victim,
    secret,
    env,
    run: (...args) => unik(project, args, env),
    async assertSecretNowhere(result, s = secret) {
      assert.ok(!result.stdout.includes(s) && !result.stderr.includes(s), "secret in output");
      for (const t of await texts(project)) assert.ok(!t.includes(s), "secret in the project");
      for (const t of await texts(cache)) assert.ok(!t.includes(s), "secret in the cache");
    },
    async [Symbol.asyncDispose]() {
      await server.stop();
    },
  };
}

Deno.test("a remote plugin's text import of a local file is refused before it is read", async () => {
  await using a = await attack((_o, victim) =>
    ledPlugin(
      `import secret from "file://${victim}/secret.txt" with { type: "text" };\n` +
        `export const leak = secret;`,
    )
  );
  const r = await a.run("configure", "-t", "unix");
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /plugin http:\/\/127\.0\.0\.1:\d+\/acme\/led\.ts imports "file:\/\//);
  assert.ok(r.stderr.includes(`${a.victim}/secret.txt`), "the import is named");
  await a.assertSecretNowhere(r);
  assert.equal(await Deno.stat(join(a.project, "unik.lock")).catch(() => undefined), undefined);
});

Deno.test("a remote plugin's JSON import of a local file is refused", async () => {
  await using a = await attack((_o, victim) =>
    ledPlugin(`import data from "file://${victim}/secret.json" with { type: "json" };`)
  );
  const r = await a.run("configure", "-t", "unix");
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /secret\.json/);
  await a.assertSecretNowhere(r);
});

Deno.test("a remote plugin importing /proc/self/environ gets nothing of the environment", async () => {
  const marker = `ENVSECRET-${crypto.randomUUID()}`;
  Deno.env.set("UNIK_TEST_ENV_SECRET", marker);
  try {
    await using a = await attack(() =>
      ledPlugin(`import env from "file:///proc/self/environ" with { type: "text" };`)
    );
    const r = await a.run("configure", "-t", "unix");
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /imports "file:\/\/\/proc\/self\/environ"/);
    await a.assertSecretNowhere(r, marker);
  } finally {
    Deno.env.delete("UNIK_TEST_ENV_SECRET");
  }
});

Deno.test("a remote plugin importing a module of a helper file by a relative path through the host stays on the host", async () => {
  await using a = await attack(() => ledPlugin(`import "../../../../etc/x.ts";`));
  a.server.serve("/etc/x.ts", "export {};\n");
  const r = await a.run("configure", "-t", "unix");
  assert.equal(r.code, 0, r.stderr);
  assert.ok(a.server.requests.includes("/etc/x.ts"), "resolved against the host, not the disk");
});

for (
  const [what, specifier] of [
    ["a data: URL", "data:application/javascript,export default 1"],
    ["a blob: URL", "blob:null/0"],
    ["an npm: package", "npm:left-pad@1"],
    ["a jsr: package", "jsr:@std/path"],
    ["a bare name", "left-pad"],
  ]
) {
  Deno.test(`a remote plugin importing ${what} is refused, naming the plugin and the import`, async () => {
    await using a = await attack(() => ledPlugin(`import x from "${specifier}";`));
    const r = await a.run("configure", "-t", "unix");
    assert.equal(r.code, 4, r.stderr);
    assert.ok(r.stderr.includes(`imports ${JSON.stringify(specifier)}`), r.stderr);
    assert.match(r.stderr, /plugin http:\/\/127\.0\.0\.1:\d+\/acme\/led\.ts/);
    assert.deepEqual(a.server.requests, ["/acme/led.ts"]);
  });
}

Deno.test("a redirect to another host is refused and that host gets no request", async () => {
  await using other = await startServer();
  other.serve("/led.ts", ledPlugin());
  await using a = await attack(() => ledPlugin());
  a.server.route(
    "/acme/led.ts",
    () => new Response(null, { status: 302, headers: { location: `${other.origin}/led.ts` } }),
  );
  const r = await a.run("configure", "-t", "unix");
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /acme\/led\.ts redirects to http:\/\/127\.0\.0\.1:\d+\/led\.ts/);
  assert.deepEqual(other.requests, []);
  assert.equal(await Deno.stat(join(a.project, "mirage")).catch(() => undefined), undefined);
});

Deno.test("a redirect to a local file is refused and the file is not read", async () => {
  await using a = await attack(() => ledPlugin());
  a.server.route(
    "/acme/led.ts",
    () =>
      new Response(null, {
        status: 302,
        headers: { location: `file://${a.victim}/secret.txt` },
      }),
  );
  const r = await a.run("configure", "-t", "unix");
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /redirects to file:/);
  await a.assertSecretNowhere(r);
});

Deno.test("a redirect within the plugin's host is followed", async () => {
  await using a = await attack(() => ledPlugin());
  a.server.serve("/v2/led.ts", ledPlugin());
  a.server.route(
    "/acme/led.ts",
    () => new Response(null, { status: 301, headers: { location: "/v2/led.ts" } }),
  );
  const r = await a.run("configure", "-t", "unix");
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(a.server.requests, ["/acme/led.ts", "/v2/led.ts"]);
});

Deno.test("an endless plugin body is read no further than the size limit", async () => {
  await using a = await attack(() => ledPlugin());
  const body = endlessBody();
  a.server.route("/acme/led.ts", () => body.response());
  const r = await a.run("configure", "-t", "unix");
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /acme\/led\.ts is larger than 4194304 bytes/);
  for (let i = 0; i < 50 && !body.cancelled; i++) await new Promise((f) => setTimeout(f, 20));
  assert.ok(body.cancelled, "unik closed the body");
  assert.ok(body.sent < 16 * 1024 * 1024, `the server sent ${body.sent} bytes`);
});

Deno.test("a plugin declaring a body over the limit is refused without reading it", async () => {
  await using a = await attack(() => ledPlugin());
  const body = endlessBody();
  a.server.route("/acme/led.ts", () => {
    const r = body.response();
    return new Response(r.body, { headers: { "content-length": String(64 * 1024 * 1024) } });
  });
  const r = await a.run("configure", "-t", "unix");
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /larger than/);
  assert.ok(body.sent < 16 * 1024 * 1024, `the server sent ${body.sent} bytes`);
});

Deno.test("a huge local registry file is refused before it is read", async () => {
  const project = await tempProject({});
  const big = join(project, "big.yaml");
  const file = await Deno.open(big, { write: true, create: true });
  await file.truncate(8 * 1024 * 1024 * 1024); // sparse: 8 GiB that cost no disk
  file.close();
  const cache = await Deno.makeTempDir();
  const r = await unik(project, ["plugin", "search", "--registry", "big.yaml"], {
    UNIK_CACHE_DIR: cache,
    HOME: cache,
  });
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /cannot read the registry file:\/\/.*big\.yaml: .* is larger than/);
});

Deno.test("a local registry that is not a regular file is refused", async () => {
  const project = await tempProject({});
  const cache = await Deno.makeTempDir();
  const r = await unik(project, ["plugin", "search", "--registry", "/dev/zero"], {
    UNIK_CACHE_DIR: cache,
    HOME: cache,
  });
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /registry file:\/\/\/dev\/zero: .*not a regular file/);
});

Deno.test("an endless remote registry is read no further than the size limit", async () => {
  await using server = await startServer();
  const body = endlessBody();
  server.route("/index.yaml", () => body.response());
  const project = await tempProject({});
  const cache = await Deno.makeTempDir();
  const r = await unik(
    project,
    ["plugin", "search", "--registry", `${server.origin}/index.yaml`],
    { UNIK_CACHE_DIR: cache, HOME: cache },
  );
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /registry http:\/\/127\.0\.0\.1:\d+\/index\.yaml/);
  assert.ok(body.sent < 16 * 1024 * 1024, `the server sent ${body.sent} bytes`);
});

Deno.test("a remote registry may not list a plugin at a local file", async () => {
  await using a = await attack(() => ledPlugin());
  a.server.serve(
    "/index.yaml",
    `registry: 1
plugins:
  - name: leak
    versions:
      - version: 1.0.0
        url: file://${a.victim}/secret.txt
        sha256: "${"0".repeat(64)}"
`,
  );
  const r = await a.run("plugin", "add", "leak", "--registry", `${a.server.origin}/index.yaml`);
  assert.equal(r.code, 4, r.stderr);
  assert.match(
    r.stderr,
    /plugin leak 1\.0\.0 has the URL file:\/\/.*secret\.txt, which a registry/,
  );
  await a.assertSecretNowhere(r);
});

Deno.test("config.ts importing a file outside the project as a plugin reads nothing of it", async () => {
  await using a = await attack(() => ledPlugin());
  await Deno.writeTextFile(
    join(a.project, "config.ts"),
    ledConfig(`file://${a.victim}/secret.txt`),
  );
  const r = await a.run("configure", "-t", "unix");
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /plugin module file:\/\/.*secret\.txt is outside the project/);
  await a.assertSecretNowhere(r);
  assert.equal(await Deno.stat(join(a.project, "unik.lock")).catch(() => undefined), undefined);
});

Deno.test("config.ts importing /proc/self/environ as a plugin reads nothing of it", async () => {
  const marker = `ENVSECRET-${crypto.randomUUID()}`;
  Deno.env.set("UNIK_TEST_ENV_SECRET", marker);
  try {
    await using a = await attack(() => ledPlugin());
    await Deno.writeTextFile(join(a.project, "config.ts"), ledConfig("file:///proc/self/environ"));
    const r = await a.run("configure", "-t", "unix");
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /outside the project/);
    await a.assertSecretNowhere(r, marker);
  } finally {
    Deno.env.delete("UNIK_TEST_ENV_SECRET");
  }
});

Deno.test("a local plugin symlinked out of the project is refused", async () => {
  await using a = await attack(() => ledPlugin());
  await Deno.symlink(join(a.victim, "secret.txt"), join(a.project, "led.ts"));
  await Deno.writeTextFile(
    join(a.project, "config.ts"),
    ledConfig(`file://${join(a.project, "led.ts")}`),
  );
  const r = await a.run("configure", "-t", "unix");
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /led\.ts is outside the project/);
  await a.assertSecretNowhere(r);
});

Deno.test("a local plugin importing a file outside the project is refused", async () => {
  await using a = await attack(() => ledPlugin());
  await Deno.writeTextFile(
    join(a.project, "led.ts"),
    ledPlugin(`import s from "file://${a.victim}/secret.txt" with { type: "text" };`),
  );
  await Deno.writeTextFile(
    join(a.project, "config.ts"),
    ledConfig(`file://${join(a.project, "led.ts")}`),
  );
  const r = await a.run("configure", "-t", "unix");
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /secret\.txt is outside the project/);
  await a.assertSecretNowhere(r);
});

Deno.test("an endless body of a module the plugin imports is stopped, naming the plugin", async () => {
  await using a = await attack(() => ledPlugin(`import "./helper.ts";`));
  const body = endlessBody();
  a.server.route("/acme/helper.ts", () => body.response());
  const r = await a.run("configure", "-t", "unix");
  assert.equal(r.code, 4, r.stderr);
  assert.match(
    r.stderr,
    /plugin http:\/\/127\.0\.0\.1:\d+\/acme\/led\.ts: .*helper\.ts is larger than/,
  );
  assert.ok(body.sent < 16 * 1024 * 1024, `the server sent ${body.sent} bytes`);
});
