// The sandbox process started ahead of the evaluation (lib/sandbox/process.ts
// startSandboxEarly): the evaluation takes it when it was started as the evaluation would
// start one, and otherwise it is ended, never left running.
import assert from "node:assert/strict";
import { join } from "node:path";
import { tempProject } from "./helpers.ts";
import { ConfigSession } from "../lib/sandbox/mod.ts";
import { discardSandbox, EVAL_HEAP_MB, startSandboxEarly } from "../lib/sandbox/process.ts";

const CONFIG = `import { job, main, register } from "unik";
export default register("early", [main("Unikernel", job)]);
`;

async function evaluate(dir: string, session: ConfigSession): Promise<string> {
  try {
    const configured = await session.configure({
      configFile: "config.ts",
      projectRootUrl: new URL(`file://${dir}/`).href,
      keys: { target: "unix" },
      argv: [],
      extraRepos: [],
      depext: true,
    });
    return configured.queries["main.ml"];
  } finally {
    await session.close();
  }
}

Deno.test("an early sandbox process started as the evaluation needs is the one it uses", async () => {
  const dir = await tempProject({ "config.ts": CONFIG });
  const early = startSandboxEarly(dir, EVAL_HEAP_MB, dir);
  assert.ok(early);
  const session = await ConfigSession.open(join(dir, "config.ts"), dir, { started: early });
  assert.equal(early.child.stdin.locked, true, "the session writes to the early process");
  assert.match(await evaluate(dir, session), /Unikernel/);
  await early.child.status;
});

Deno.test("an early sandbox process with another heap limit is ended, and a new one evaluates", async () => {
  const dir = await tempProject({ "config.ts": CONFIG });
  const early = startSandboxEarly(dir, EVAL_HEAP_MB + 1, dir);
  assert.ok(early);
  const session = await ConfigSession.open(join(dir, "config.ts"), dir, { started: early });
  assert.equal(early.child.stdin.locked, false, "never written to");
  assert.equal((await early.child.status).signal, "SIGKILL");
  assert.match(await evaluate(dir, session), /Unikernel/);
});

Deno.test("an early sandbox process that an evaluation failing first never takes is ended", async () => {
  const dir = await tempProject({ "config.ts": CONFIG });
  const early = startSandboxEarly(dir, EVAL_HEAP_MB, dir);
  assert.ok(early);
  await assert.rejects(
    ConfigSession.open(join(dir, "missing.ts"), join(dir, "no-such-root"), { started: early }),
  );
  assert.equal((await early.child.status).signal, "SIGKILL");
});

Deno.test("discardSandbox ends an early process that nothing took", async () => {
  const dir = await tempProject({ "config.ts": CONFIG });
  const early = startSandboxEarly(dir, EVAL_HEAP_MB, dir)!;
  await discardSandbox(early);
  assert.equal((await early.child.status).success, false);
});

Deno.test("no early process for a project whose path holds a comma (the session reports that itself)", async () => {
  const dir = await tempProject({ "config.ts": CONFIG });
  const comma = `${dir},x`;
  await Deno.mkdir(comma);
  assert.equal(startSandboxEarly(comma, EVAL_HEAP_MB, comma), undefined);
});
