/**
 * unik.lock's graph integrity (issue 11, class 9): besides each module's sha256, the lock
 * records the integrity of the plugin's whole graph, which registries publish. A lock whose
 * module hashes still match but whose integrity does not (the graph recorded differently, or
 * an integrity edited to match a registry's) is refused, naming the plugin, and nothing is
 * written. The plugin is served on 127.0.0.1 by the test.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { freshUnikHome, snapshot, tempProject, unik } from "../helpers.ts";
import { startPluginHost } from "../plugin_host.ts";

const CONFIG = (origin: string) =>
  `import { apply, fn, job, main, register } from "unik";
import { acmeLed, led } from "${origin}/acme/led.ts";
const app = main("Unikernel.Main", fn(led, job));
export default register("blinky", [apply(app, acmeLed({ pin: 4 }))]);
`;

Deno.test("a lock whose graph integrity no longer matches its modules is refused", async () => {
  const host = await startPluginHost();
  try {
    const dir = await tempProject({ "config.ts": CONFIG(host.origin) });
    const { env } = await freshUnikHome();
    assert.equal((await unik(dir, ["configure"], env)).code, 0);
    const lockPath = join(dir, "unik.lock");
    const lock = JSON.parse(await Deno.readTextFile(lockPath));
    const entry = `${host.origin}/acme/led.ts`;
    lock.plugins[entry].integrity = `sha256-${"ab".repeat(32)}`;
    await Deno.writeTextFile(lockPath, JSON.stringify(lock, null, 2) + "\n");
    const before = await snapshot(dir);
    const r = await unik(dir, ["configure", "--fresh"], env);
    assert.equal(r.code, 4, r.stderr);
    assert.match(
      r.stderr,
      /acme\/led\.ts: unik\.lock records integrity sha256-(ab)+, but its modules hash to sha256-/,
    );
    assert.deepEqual(await snapshot(dir), before, "nothing is written, unik.lock included");
  } finally {
    await host.stop();
  }
});
