// The eDSL's run-time behaviour: module types, application, choices, keys, runtime arguments
// and packages, as config.ts sees them without a type-check.
import assert from "node:assert/strict";
import {
  apply,
  block,
  fn,
  ifImpl,
  impl,
  job,
  key,
  kvRo,
  main,
  matchImpl,
  network,
  noop,
  pkg,
  register,
  runtimeArg,
  syslog,
  typ,
  value,
} from "unik";
import { showTyp } from "../lib/dsl/typ.ts";
import { callAt, propertyAt, registerSource } from "../lib/dsl/call_text.ts";
import { defaultArgv } from "../plugins/argv.ts";
import { defaultReporter } from "../plugins/reporter.ts";
import { keyContext, parseKeyValue } from "../lib/dsl/key.ts";

const kv = impl("Kv", kvRo);
const blk = impl("Blk", block);

Deno.test("fn builds a right-nested functor type", () => {
  assert.equal(showTyp(fn(kvRo, block, job).shape), "kv_ro -> block -> job");
  assert.equal(showTyp(fn(fn(block, kvRo), job).shape), "(block -> kv_ro) -> job");
});

Deno.test("apply accepts arguments of the functor's types, in order", () => {
  const f = impl("F.Make", fn(kvRo, block, job));
  const j = apply(f, kv, blk);
  assert.equal(j.typ.kind, "leaf");
  assert.equal(j.node.kind === "dev" && j.node.args.length, 2);
});

Deno.test("partial application gives a functor of the remaining arguments", () => {
  const f = impl("F.Make", fn(kvRo, block, job));
  const partial = apply(f, kv);
  assert.equal(showTyp(partial.typ), "block -> job");
  const whole = apply(partial, blk);
  assert.equal(showTyp(whole.typ), "job");
});

Deno.test("apply rejects an argument of the wrong type at run time", () => {
  const f = impl("F.Make", fn(kvRo, job));
  const net = impl("Netif", network);
  assert.throws(
    // @ts-expect-error the type-checker rejects it too
    () => apply(f, net),
    /F\.Make expects an argument of type kv_ro, but Netif has type network/,
  );
});

Deno.test("apply rejects too many arguments", () => {
  const f = impl("F.Make", fn(kvRo, job));
  // @ts-expect-error one argument too many
  assert.throws(() => apply(f, kv, blk), /too many arguments/);
});

Deno.test("applying a non-functor is an error", () => {
  // @ts-expect-error kv is not a functor
  assert.throws(() => apply(kv, blk), /not a functor/);
});

Deno.test("ifImpl needs branches of one type", () => {
  assert.throws(
    // @ts-expect-error different types
    () => ifImpl(value(key({ name: "x", type: "flag" })), kv, blk),
    /the branches of ifImpl must be devices of one type: Blk has type block, but the first has type kv_ro/,
  );
});

Deno.test("matchImpl accepts pairs or an object of cases", () => {
  const mode = key({ name: "mode", type: "enum", values: ["a", "b"], default: "a" });
  const other = impl("Kv2", kvRo);
  const m1 = matchImpl(value(mode), [["b", other]], kv);
  const m2 = matchImpl(value(mode), { b: other }, kv);
  assert.equal(m1.node.kind === "if" && m1.node.branches.length, 1);
  assert.equal(m2.node.kind === "if" && m2.node.branches[0][0], "b");
});

Deno.test("matchImpl takes its default in an options object, as OCaml's ~default", () => {
  const mode = key({ name: "mode2", type: "enum", values: ["a", "b"], default: "a" });
  const other = impl("Kv2", kvRo);
  const m = matchImpl(value(mode), { b: other }, { default: kv });
  assert.ok(m.node.kind === "if" && m.node.default === kv && m.node.branches[0][1] === other);
});

Deno.test("matchImpl without a default says how to give one", () => {
  const mode = key({ name: "mode3", type: "enum", values: ["a", "b"], default: "a" });
  // @ts-expect-error no default
  assert.throws(() => matchImpl(value(mode), { b: kv }), /matchImpl has no default/);
  assert.throws(
    // @ts-expect-error the options have no default
    () => matchImpl(value(mode), { b: kv }, { otherwise: kv }),
    /matchImpl's options have no default device/,
  );
});

Deno.test("impl and main say what they need, instead of failing inside", () => {
  assert.throws(
    // @ts-expect-error no module type
    () => main("Unikernel"),
    /main "Unikernel" needs a module type \(job, kvRo, fn\(kvRo, job\), \.\.\.\), but it is undefined/,
  );
  // @ts-expect-error no module type
  assert.throws(() => impl("Netif"), /impl "Netif" needs a module type/);
  assert.throws(
    // @ts-expect-error no module name
    () => impl(),
    /impl needs the module's name \(a string\) first, but it is undefined/,
  );
  // @ts-expect-error the options are not an object
  assert.throws(() => impl("Netif", network, "x"), /its options must be an object/);
  assert.throws(
    // @ts-expect-error the spec has no type
    () => impl({ module: "Netif" }),
    /impl "Netif" needs a module type/,
  );
});

Deno.test("a non-functor main with no deps gets noop as its unit argument", () => {
  const m = main("Unikernel", job);
  assert.ok(m.node.kind === "dev" && m.node.deps[0] === noop);
});

Deno.test("register refuses a job still expecting arguments", () => {
  const m = main("Unikernel.Make", fn(kvRo, job));
  // @ts-expect-error not a job yet
  assert.throws(() => register("x", [m]), /not a job/);
});

Deno.test("register refuses a job without arguments", () => {
  assert.throws(() => register("x", [impl("Foo", job)]), /job without arguments/);
});

Deno.test("register accepts noop as a job", () => {
  assert.equal(register("x", [noop]).jobs.length, 1);
});

Deno.test("register's start-up options are typed and checked per module type", () => {
  const app = apply(main("Unikernel.Make", fn(job, job)), noop);
  const s = impl("Logs_syslog_mirage.Udp", syslog);
  assert.throws(
    // @ts-expect-error a syslog device is not a reporter
    () => register("x", [app], { reporter: s }),
    /^UnikError: register's option reporter must be a log reporter, a device of type job \(defaultReporter\(\) or noReporter\), but Logs_syslog_mirage\.Udp has type syslog$/,
  );
  assert.throws(
    // @ts-expect-error a reporter is not a command line
    () => register("x", [app], { argv: defaultReporter() }),
    /register's option argv must be a boot command line, a device of type argv \(defaultArgv or noArgv\), but Mirage_logs has type job/,
  );
  assert.throws(
    // @ts-expect-error a command line is not a clock
    () => register("x", [app], { ptime: defaultArgv }),
    /register's option ptime must be a POSIX clock, a device of type job/,
  );
  assert.throws(
    // @ts-expect-error no such option
    () => register("x", [app], { reporer: defaultReporter() }),
    /register has no option reporer \(its options are argv, reporter, sleep, ptime, mtime, random, src\)/,
  );
  assert.equal(
    register("x", [app], { reporter: defaultReporter({ level: "debug" }) }).init.length,
    8,
  );
});

Deno.test("register refuses empty and malformed names", () => {
  assert.throws(() => register("", []), /cannot be empty/);
  assert.throws(() => register("a b", []), /invalid unikernel name/);
  assert.throws(() => register("9lives", []), /invalid unikernel name/);
});

Deno.test("key values parse with cmdliner's wording on errors", () => {
  const dhcp = key({ name: "dhcp", type: "bool", default: false });
  assert.equal(parseKeyValue(dhcp.desc, "true"), true);
  assert.throws(
    () => parseKeyValue(dhcp.desc, "maybe"),
    /option '--dhcp': invalid value 'maybe', expected either 'true' or 'false'/,
  );
  const n = key({ name: "n", type: "int", default: 1 });
  assert.equal(parseKeyValue(n.desc, "-3"), -3);
  assert.throws(() => parseKeyValue(n.desc, "3.5"), /expected an integer/);
  const e = key({
    name: "net",
    type: "enum",
    values: ["host", "socket", "direct"],
    default: "host",
  });
  assert.throws(() => parseKeyValue(e.desc, "x"), /expected one of 'host', 'socket' or 'direct'/);
});

Deno.test("keys refuse empty names and enum defaults outside their values", () => {
  assert.throws(() => key({ name: "", default: "x" }), /cannot be the empty string/);
  assert.throws(() => key({ name: "a=b", default: "x" }), /invalid key name/);
  assert.throws(
    () => key({ name: "m", type: "enum", values: ["a"], default: "b" as "a" }),
    /is not one of a/,
  );
});

Deno.test("a key context gives set values, else defaults", () => {
  const k = key({ name: "greeting", default: "hi" });
  assert.equal(keyContext(new Map()).get(k), "hi");
  assert.equal(keyContext(new Map([["greeting", "yo"]])).get(k), "yo");
  assert.equal(value(k).map((s) => s.length).eval(keyContext(new Map())), 2);
});

Deno.test("runtime arguments are named by their ocamlified code", () => {
  assert.equal(runtimeArg("Mirage_runtime.delay").name, "mirage_runtime_delay");
  assert.equal(
    runtimeArg("Cmdliner_stdlib.setup ~backtrace:(Some true) ()").name,
    "cmdliner_stdlib_setup_backtracesome_true_",
  );
  assert.throws(() => runtimeArg("(*)"), /does not name an OCaml term/);
  assert.throws(() => runtimeArg("1.x"), /does not name an OCaml term/);
  assert.throws(
    // @ts-expect-error the term is missing
    () => runtimeArg(),
    /runtimeArg needs an OCaml term as a string, but it is undefined/,
  );
});

Deno.test("runtime arguments declared at one place with one code are one argument", () => {
  const make = () => runtimeArg("Unikernel.port");
  assert.equal(make().identity, make().identity);
  assert.notEqual(runtimeArg("Unikernel.port").identity, make().identity);
});

Deno.test("package names and sub-libraries", () => {
  assert.deepEqual(pkg("mirage-sleep", { sublibs: ["", "unix"] }).libs, [
    "mirage-sleep",
    "mirage-sleep.unix",
  ]);
  assert.deepEqual(pkg("mirage-block-xen", { sublibs: ["front"] }).libs, [
    "mirage-block-xen.front",
  ]);
  assert.throws(() => pkg("bar.subfoo"), /package name "bar.subfoo" is invalid/);
  assert.throws(() => pkg("000"), /is invalid/);
  assert.throws(() => pkg("x", { libs: ["a"], sublibs: ["b"] }), /either specify sublibs or libs/);
});

Deno.test("the typ of a user-declared leaf is its name", () => {
  assert.equal(showTyp(typ("hash").shape), "hash");
});

Deno.test("a call's arguments are found around strings, comments and brackets", () => {
  const text = 'x = apply(app, /* a, b */ f("a,)", [1, 2]), `t,${1}`, { k: g(1) })';
  const call = callAt(text, text.indexOf("apply"));
  assert.deepEqual(
    call?.args.map((a) => text.slice(a.start, a.end)),
    ["app", 'f("a,)", [1, 2])', "`t,${1}`", "{ k: g(1) }"],
  );
  assert.equal(call && text.slice(call.start, call.end), text.slice(4));
  assert.equal(callAt("apply<A, B>(x)", 0)?.args.length, 1);
  assert.equal(callAt("apply + 1", 0), undefined);
});

Deno.test("a property of an options argument is found with its value's text", () => {
  const url = "file:///project/props.ts";
  registerSource(url, 'register("x", [j], {\n  argv: a,\n  "reporter": syslogUdp(s),\n});\n');
  const at = propertyAt({ file: url, line: 1, column: 1 }, 2, "reporter");
  assert.deepEqual(at, { pos: { file: url, line: 3, column: 3 }, text: "syslogUdp(s)" });
  assert.equal(propertyAt({ file: url, line: 1, column: 1 }, 2, "sleep"), undefined);
});
