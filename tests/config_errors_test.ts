// A broken config.ts gets one clear error naming the file and line, and nothing is written.
import assert from "node:assert/strict";
import { snapshot, tempProject, unik } from "./helpers.ts";

async function configureBroken(source: string, args: string[] = []) {
  const dir = await tempProject({ "config.ts": source });
  const r = await unik(dir, ["configure", ...args]);
  assert.deepEqual([...(await snapshot(dir)).keys()], ["config.ts"], "nothing may be written");
  return r;
}

const HEADER = 'import { apply, fn, impl, job, kvRo, main, network, register } from "unik";\n';

Deno.test("a config that throws: its message, at its line", async () => {
  const r = await configureBroken(`${HEADER}\nthrow new Error("boom");\n`);
  assert.equal(r.code, 3);
  assert.match(r.stderr, /^unik: config\.ts:3:7: Error: boom$/m);
});

Deno.test("a config that registers nothing says how to register", async () => {
  const r = await configureBroken(`${HEADER}export const x = 1;\n`);
  assert.equal(r.code, 3);
  assert.match(r.stderr, /the configuration registers nothing/);
  assert.match(r.stderr, /hint: end config\.ts with: export default register/);
});

Deno.test("a functor applied to a device of the wrong type: at the argument, named as written", async () => {
  const r = await configureBroken(
    `${HEADER}const app = main("App.Make", fn(kvRo, job));
const net = impl("Netif", network);
// @ts-expect-error wrong type
export default register("x", [apply(app, net)]);
`,
  );
  assert.equal(r.code, 3);
  assert.match(
    r.stderr,
    /^unik: config\.ts:5:42: App\.Make expects an argument of type kv_ro, but net \(Netif\) has type network$/m,
  );
});

Deno.test("a functor applied to too many arguments: at the first extra one", async () => {
  const r = await configureBroken(
    `${HEADER}const app = main("App.Make", fn(kvRo, job));
const kv = impl("Kv", kvRo);
// @ts-expect-error too many
export default register("x", [apply(app, kv, kv)]);
`,
  );
  assert.match(
    r.stderr,
    /config\.ts:5:46: App\.Make is applied to too many arguments: its type job is not a functor, and kv \(Kv\) is one more/,
  );
});

Deno.test("a functor applied to too few arguments is not a job yet: at the job", async () => {
  const r = await configureBroken(
    `${HEADER}const app = main("App.Make", fn(kvRo, kvRo, job));
const kv = impl("Kv", kvRo);
// @ts-expect-error missing an argument
export default register("x", [apply(app, kv)]);
`,
  );
  assert.match(r.stderr, /config\.ts:5:31: job 1 given to register is not a job/);
  assert.match(r.stderr, /hint: apply the functor to all its arguments/);
});

Deno.test("a syntax error is reported as one, at its line and column", async () => {
  const r = await configureBroken(`${HEADER}\nconst x = ;\n`);
  assert.equal(r.code, 3);
  assert.match(r.stderr, /^unik: config\.ts:3:11: syntax error: Expression expected$/m);
  assert.doesNotMatch(r.stderr, /TypeError/);
});

Deno.test("a syntax error in a local module names that module", async () => {
  const dir = await tempProject({
    "config.ts":
      `${HEADER}import { x } from "./lib.ts";\nexport default register("x", [main("Unikernel", job)]);\n`,
    "lib.ts": "export const x = (1;\n",
  });
  const r = await unik(dir, ["configure"]);
  assert.equal(r.code, 3);
  assert.match(r.stderr, /^unik: lib\.ts:1:\d+: syntax error: /m);
});

Deno.test("an unknown key value is refused with the valid values", async () => {
  const dir = await tempProject({
    "config.ts": `import { impl, job, key, main, register, value, matchImpl, noop } from "unik";
const net = key({ name: "net", type: "enum", values: ["socket", "direct"], default: "socket" });
const app = main("Unikernel", job, { keys: [net] });
export default register("x", [app]);
`,
  });
  const r = await unik(dir, ["configure", "--net=ocaml"]);
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /option '--net': invalid value 'ocaml', expected either 'socket' or 'direct'/,
  );
  assert.equal((await snapshot(dir)).size, 1);
});

Deno.test("a type error elsewhere is caught by --check, with file and line", async () => {
  const r = await configureBroken(
    `${HEADER}const n: number = "not a number";
export default register("x", [main("Unikernel", job)]);
`,
    ["--check"],
  );
  assert.equal(r.code, 3);
  assert.match(r.stderr, /type error in the configuration/);
  assert.match(r.stderr, /TS2322/);
  assert.match(r.stderr, /config\.ts:2:7/);
});

Deno.test("a config reading outside the sandbox is stopped", async () => {
  const r = await configureBroken(
    `${HEADER}Deno.readTextFileSync("/etc/hostname");
export default register("x", [main("Unikernel", job)]);
`,
  );
  assert.equal(r.code, 3);
  assert.match(r.stderr, /config\.ts:2:\d+: not allowed while evaluating the configuration/);
});

Deno.test("a config writing a file is stopped", async () => {
  const r = await configureBroken(
    `${HEADER}Deno.writeTextFileSync("x.txt", "x");
export default register("x", [main("Unikernel", job)]);
`,
  );
  assert.match(r.stderr, /not allowed while evaluating the configuration: .*write/);
});

Deno.test("a device whose connect code throws names the device", async () => {
  const r = await configureBroken(
    `${HEADER}const bad = impl("Bad", kvRo, { connect: () => { throw new Error("no connect"); } });
const app = main("App.Make", fn(kvRo, job));
export default register("x", [apply(app, bad)]);
`,
  );
  assert.equal(r.code, 3);
  assert.match(r.stderr, /the connect code of Bad \(config\.ts:2\) failed: no connect/);
});

Deno.test("a device restricted to other targets is refused with the ones it supports", async () => {
  const r = await configureBroken(
    `${HEADER}const xs = impl("Xen_only", kvRo, { targets: ["xen", "qubes"] });
const app = main("App.Make", fn(kvRo, job));
export default register("x", [apply(app, xs)]);
`,
  );
  assert.match(
    r.stderr,
    /Xen_only \(config\.ts:2\) does not support the target unix; it supports xen, qubes/,
  );
});

Deno.test("a syslog device given as register's reporter is refused at configure time, at the option", async () => {
  const r = await configureBroken(
    `${HEADER}import { syslogUdp } from "unik/plugins/syslog.ts";
import { genericStackv4v6 } from "unik/plugins/stack.ts";
import { defaultNetwork } from "unik/plugins/network.ts";
const stack = genericStackv4v6(defaultNetwork);
export default register("x", [main("Unikernel", job)], {
  // @ts-expect-error a syslog device is not a reporter
  reporter: syslogUdp(stack),
});
`,
  );
  assert.equal(r.code, 3);
  assert.match(
    r.stderr,
    /^unik: config\.ts:8:3: register's option reporter must be a log reporter, a device of type job \(defaultReporter\(\) or noReporter\), but syslogUdp\(stack\) \(Logs_syslog_mirage\.Udp\) has type syslog$/m,
  );
});

Deno.test("a constructor called without its options object names it and the option, at the call", async () => {
  const r = await configureBroken(
    `${HEADER}import { pafServer } from "unik/plugins/http.ts";
import { tcpv4v6OfStackv4v6, socketStackv4v6 } from "unik/plugins/stack.ts";
const tcp = tcpv4v6OfStackv4v6(socketStackv4v6());
// @ts-expect-error the options object is missing
const server = pafServer(tcp);
export default register("x", [main("Unikernel", job)]);
`,
  );
  assert.equal(r.code, 3);
  assert.match(
    r.stderr,
    /^unik: config\.ts:6:16: pafServer is missing its option port \(a runtime argument \(runtimeArg\("Module\.term"\)\)\): it has no options object$/m,
  );
  assert.match(
    r.stderr,
    /hint: write pafServer\(tcp, \{ port: runtimeArg<number>\("Unikernel\.port"\) \}\)/,
  );
  assert.doesNotMatch(r.stderr, /TypeError/);
});

Deno.test("an argument of a constructor of the wrong kind is pointed at", async () => {
  const r = await configureBroken(
    `${HEADER}import { blockOfFile, ccmBlock } from "unik/plugins/block.ts";
// @ts-expect-error the key is a runtime argument, not the key itself
const b = ccmBlock("00112233", blockOfFile("disk"));
export default register("x", [main("Unikernel", job)]);
`,
  );
  assert.match(
    r.stderr,
    /^unik: config\.ts:4:20: ccmBlock's argument key must be a runtime argument giving the key as a hex string \(runtimeArg<string>\("Unikernel\.key"\)\), but it is the string "00112233"$/m,
  );
});

Deno.test("a device a plugin made is named by the call the user wrote, at the argument's own line", async () => {
  const r = await configureBroken(
    `${HEADER}import { blockOfFile } from "unik/plugins/block.ts";
const app = main("App.Make", fn(kvRo, job));
export default register("x", [
  apply(
    app,
    // @ts-expect-error a block device is not a store
    blockOfFile("storage"),
  ),
]);
`,
  );
  assert.match(
    r.stderr,
    /^unik: config\.ts:8:5: App\.Make expects an argument of type kv_ro, but blockOfFile\("storage"\) has type block$/m,
  );
  assert.doesNotMatch(r.stderr, /configure-time choice/);
});

Deno.test("a choice between devices of different types points at the branch, named as written", async () => {
  const r = await configureBroken(
    `${HEADER}import { Key, ifImpl } from "unik";
import { blockOfFile } from "unik/plugins/block.ts";
import { crunch } from "unik/plugins/kv.ts";
// @ts-expect-error the branches differ
const img = ifImpl(Key.isSolo5, blockOfFile("storage"), crunch("htdocs"));
export default register("x", [main("Unikernel", job)]);
`,
  );
  assert.equal(r.code, 3);
  assert.match(
    r.stderr,
    /^unik: config\.ts:6:57: the branches of ifImpl must be devices of one type: crunch\("htdocs"\) \(Static_htdocs\) has type kv_ro, but the first has type block$/m,
  );
});
