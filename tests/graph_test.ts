// The device graph: choices resolved by key values, identical devices shared, nodes numbered
// and ordered the Functoria way, cycles reported.
import assert from "node:assert/strict";
import { apply, fn, ifImpl, impl, job, key, kvRo, main, noop, register, typ, value } from "unik";
import { keyContext, type KeyValue } from "../lib/dsl/key.ts";
import { projectRoot } from "../lib/project.ts";
import { contributionOrder, resolveGraph, visitOrder } from "../lib/graph/resolve.ts";
import { moduleNameOf, niceName, varName } from "../lib/graph/naming.ts";
import { collectKeys } from "../lib/graph/collect.ts";
import type { Registration } from "../lib/register.ts";

function graphOf(reg: Registration, keys: Record<string, KeyValue> = {}) {
  return resolveGraph(
    projectRoot(reg),
    keyContext(new Map(Object.entries({ target: "unix", ...keys }))),
  );
}

Deno.test("nodes are numbered post-order, arguments before extra deps (mirage's random test)", () => {
  const app = main("App.Make", fn(job, job));
  const g = graphOf(register("random", [apply(app, noop)]));
  assert.deepEqual(g.nodes.map(varName), [
    "mirage_bootvar__1",
    "struct_end__2",
    "cmdliner_stdlib__3",
    "mirage_runtime__4",
    "mirage_logs__5",
    "mirage_sleep__6",
    "mirage_ptime__7",
    "mirage_mtime__8",
    "mirage_crypto_rng_mirage__9",
    "unit__10",
    "app_make__11",
    "mirage_runtime__12",
  ]);
  assert.equal(g.root.id, 12);
});

Deno.test("functor nodes get a module name with their number, others keep theirs", () => {
  const app = main("App.Make", fn(job, job));
  const g = graphOf(register("random", [apply(app, noop)]));
  const names = g.nodes.map(moduleNameOf);
  assert.equal(names[10], "App_make__11");
  assert.equal(names[9], "Unit");
  assert.equal(niceName("Tcpip_stack_direct.MakeV4V6"), "tcpip_stack_direct_makev4v6");
  assert.equal(niceName("struct end"), "struct_end");
});

Deno.test("the same device applied to the same arguments is one node", () => {
  const kvStore = impl("Kv_store", kvRo);
  const wrap = impl("Wrap.Make", fn(kvRo, kvRo));
  const app = main("App.Make", fn(kvRo, kvRo, job));
  const g = graphOf(register("share", [apply(app, apply(wrap, kvStore), apply(wrap, kvStore))]));
  assert.equal(g.nodes.filter((n) => n.device.moduleName === "Wrap.Make").length, 1);
  const appNode = g.nodes.find((n) => n.device.moduleName === "App.Make")!;
  assert.equal(appNode.args[0], appNode.args[1]);
});

Deno.test("two impl calls with the same arguments are two devices", () => {
  const mk = () => impl("Kv_store", kvRo);
  const app = main("App.Make", fn(kvRo, kvRo, job));
  const g = graphOf(register("twice", [apply(app, mk(), mk())]));
  assert.equal(g.nodes.filter((n) => n.device.moduleName === "Kv_store").length, 2);
});

Deno.test("ifImpl takes the branch of the key's value, default when unset", () => {
  const fast = key({ name: "fast", type: "bool", default: false });
  const a = impl("Fast", kvRo), b = impl("Slow", kvRo);
  const app = main("App.Make", fn(kvRo, job));
  const reg = register("choice", [apply(app, ifImpl(value(fast), a, b))]);
  const modules = (keys: Record<string, KeyValue>) =>
    graphOf(reg, keys).nodes.map((n) => n.device.moduleName);
  assert.ok(modules({}).includes("Slow") && !modules({}).includes("Fast"));
  assert.ok(modules({ fast: true }).includes("Fast"));
});

Deno.test("a choice applied as a functor is flattened once resolved", () => {
  const flag = key({ name: "alt", type: "flag" });
  const f1 = impl("F1.Make", fn(kvRo, job)), f2 = impl("F2.Make", fn(kvRo, job));
  const store = impl("Store", kvRo);
  const g = graphOf(register("app", [apply(ifImpl(value(flag), f1, f2), store)]), { alt: true });
  const node = g.nodes.find((n) => n.device.moduleName === "F1.Make")!;
  assert.equal(node.args[0].device.moduleName, "Store");
});

Deno.test("keys are collected from every branch and every device", () => {
  const a = key({ name: "a", type: "flag" });
  const b = key({ name: "b", default: "x" });
  const dev = impl("Dev", kvRo, { keys: [b] });
  const app = main("App.Make", fn(kvRo, job));
  const reg = register("k", [apply(app, ifImpl(value(a), dev, impl("Other", kvRo)))]);
  assert.deepEqual(collectKeys(projectRoot(reg)).map((k) => k.name), ["a", "b", "target"]);
});

Deno.test("main.ml visits extra deps before arguments; dune stanzas come root first", () => {
  const t = typ("t");
  const arg = impl("Arg", t), extra = impl("Extra", job);
  const app = main("App.Make", fn(t, job), { deps: [extra] });
  const g = graphOf(register("order", [apply(app, arg)]));
  const visit = visitOrder(g).map((n) => n.device.moduleName);
  assert.ok(visit.indexOf("Extra") < visit.indexOf("Arg"));
  assert.equal(visit[visit.length - 1], "Mirage_runtime");
  const dune = contributionOrder(g);
  assert.equal(dune[0], g.root);
  assert.deepEqual(dune.slice(-3).map((n) => n.device.moduleName), ["App.Make", "Arg", "Extra"]);
});

Deno.test("a dependency cycle through extra deps is reported", () => {
  const deps: ReturnType<typeof impl<"job">>[] = [];
  const a = impl("A", job, { extraDeps: deps });
  deps.push(a);
  const app = main("App.Make", fn(job, job));
  assert.throws(() => graphOf(register("cycle", [apply(app, a)])), /dependency cycle: A -> A/);
});

Deno.test("deep functor nesting resolves without exhausting the stack", () => {
  const wrap = () => impl("W.Make", fn(kvRo, kvRo));
  let x = impl("Base", kvRo);
  for (let i = 0; i < 20_000; i++) x = apply(wrap(), x);
  const app = main("App.Make", fn(kvRo, job));
  const g = graphOf(register("deep", [apply(app, x)]));
  assert.ok(g.nodes.length > 20_000);
  assert.equal(visitOrder(g).length, g.nodes.length);
});
