// Package requirements merge into one opam file; bounds that cannot both hold, scope
// mismatches and different pins are errors naming the devices involved.
import assert from "node:assert/strict";
import { apply, fn, impl, job, kvRo, main, pkg, register } from "unik";
import { compareVersions, mergePackage, requestedBy, showPackage } from "../lib/dsl/package.ts";
import { keyContext } from "../lib/dsl/key.ts";
import { projectRoot } from "../lib/project.ts";
import { resolveGraph } from "../lib/graph/resolve.ts";
import { collectLibraries, collectPackages } from "../lib/graph/collect.ts";

Deno.test("opam version order", () => {
  assert.ok(compareVersions("1.0.0", "1.0.1") < 0);
  assert.ok(compareVersions("1.10.0", "1.9.0") > 0);
  assert.ok(compareVersions("1.0~beta", "1.0") < 0);
  assert.ok(compareVersions("4.9.0", "4.10.0") < 0);
  assert.equal(compareVersions("2.0", "2.0"), 0);
  assert.ok(compareVersions("1.0a", "1.0") > 0);
});

Deno.test("packages print like opam's depends entries", () => {
  assert.equal(showPackage(pkg("lwt")), '"lwt" { ?monorepo }');
  assert.equal(
    showPackage(pkg("mirage-runtime", { min: "4.9.0", max: "4.10.0" })),
    '"mirage-runtime" { ?monorepo & >= "4.9.0" & < "4.10.0" }',
  );
  assert.equal(
    showPackage(pkg("opam-monorepo", { min: "0.3.2", scope: "switch", build: true })),
    '"opam-monorepo" { build & >= "0.3.2" }',
  );
  assert.equal(showPackage(pkg("solo5", { scope: "switch" })), '"solo5"');
});

Deno.test("merging keeps the tightest bounds and the union of libraries", () => {
  const a = requestedBy(pkg("tcpip", { min: "8.0.0", max: "10.0.0", sublibs: ["ipv4"] }), "A");
  const b = requestedBy(pkg("tcpip", { min: "9.0.0", max: "11.0.0", sublibs: ["tcp"] }), "B");
  const m = mergePackage(a, b);
  assert.equal(showPackage(m), '"tcpip" { ?monorepo & >= "9.0.0" & < "10.0.0" }');
  assert.deepEqual(m.libs, ["tcpip.ipv4", "tcpip.tcp"]);
});

Deno.test("bounds that cannot both hold are an error naming both devices", () => {
  const crunch = requestedBy(pkg("mirage-kv-mem", { min: "4.0.0", max: "5.0.0" }), "crunch");
  const mem = requestedBy(pkg("mirage-kv-mem", { min: "3.0.0", max: "4.0.0" }), "kvRwMem");
  assert.throws(
    () => mergePackage(crunch, mem),
    /mirage-kv-mem: >= 4\.0\.0 \(from crunch\) and < 4\.0\.0 \(from kvRwMem\) cannot both hold/,
  );
});

Deno.test("a scope mismatch is an error naming both devices", () => {
  const a = requestedBy(pkg("solo5", { scope: "switch" }), "target");
  const b = requestedBy(pkg("solo5"), "Mydevice");
  assert.throws(
    () => mergePackage(a, b),
    /solo5 is required in the switch by target but in the monorepo by Mydevice/,
  );
});

Deno.test("a pin drops bounds; two different pins conflict, two equal ones do not", () => {
  const pinned = requestedBy(pkg("foo", { pin: "git+https://x/foo.git" }), "A");
  const bounded = requestedBy(pkg("foo", { min: "1.0" }), "B");
  assert.equal(showPackage(mergePackage(pinned, bounded)), '"foo" { ?monorepo }');
  assert.equal(mergePackage(pinned, pinned).pin?.url, "git+https://x/foo.git");
  const other = requestedBy(pkg("foo", { pin: "git+https://y/foo.git" }), "C");
  assert.throws(() => mergePackage(pinned, other), /conflicting pins for package foo/);
});

Deno.test("a configuration's packages merge across devices, sorted, build ones not linked", () => {
  const dev = impl("Dev", kvRo, {
    packages: [pkg("zeta", { sublibs: ["", "x"] }), pkg("tool", { build: true })],
  });
  const app = main("App.Make", fn(kvRo, job), { packages: [pkg("zeta", { min: "1.0" })] });
  const ctx = keyContext(new Map([["target", "unix"]]));
  const g = resolveGraph(projectRoot(register("p", [apply(app, dev)])), ctx);
  const pkgs = collectPackages(g, ctx);
  const names = pkgs.map((p) => p.name);
  assert.deepEqual(names, [...names].sort());
  assert.ok(names.includes("mirage-unix"));
  const libs = collectLibraries(g, pkgs);
  assert.ok(libs.includes("zeta.x") && libs.includes("zeta") && !libs.includes("tool"));
  assert.equal(
    showPackage(pkgs.find((p) => p.name === "zeta")!),
    '"zeta" { ?monorepo & >= "1.0" }',
  );
});

Deno.test("a configuration with conflicting bounds fails and names the devices", () => {
  const a = impl("Store_a", kvRo, { packages: [pkg("store", { min: "2.0.0" })] });
  const app = main("App.Make", fn(kvRo, job), { packages: [pkg("store", { max: "2.0.0" })] });
  const ctx = keyContext(new Map([["target", "unix"]]));
  const g = resolveGraph(projectRoot(register("p", [apply(app, a)])), ctx);
  assert.throws(
    () => collectPackages(g, ctx),
    /Store_a \(packages_test\.ts:\d+\).*App\.Make \(packages_test\.ts:\d+\)/,
  );
});
