/**
 * Random well-typed device graphs (fast-check): configure never crashes, its output does not
 * depend on anything but the graph, every main.ml passes the OCaml parser, and each device is
 * forced only after the devices it depends on.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import fc from "fast-check";
import { apply, fn, type Impl, impl, job, main, typ } from "unik";
import { configureJobs, ocamlcAvailable, ocamlParses } from "./helpers.ts";

const LEAVES = ["alpha", "beta", "gamma"] as const;
type Leaf = typeof LEAVES[number];

/** A graph description: plain data, so that the same graph can be built twice. */
interface Spec {
  /** Devices in order; a functor's arguments are earlier devices of the right types. */
  readonly devices: readonly { type: Leaf; args: readonly number[]; deps: readonly number[] }[];
  /** The devices each job is applied to. */
  readonly jobs: readonly (readonly number[])[];
}

const spec: fc.Arbitrary<Spec> = fc.integer({ min: 1, max: 25 }).chain((n) =>
  fc.record({
    devices: fc.tuple(
      ...Array.from({ length: n }, (_, i) =>
        fc.record({
          type: fc.constantFrom(...LEAVES),
          args: fc.array(fc.nat(Math.max(0, i - 1)), { maxLength: i === 0 ? 0 : 3 }),
          deps: fc.array(fc.nat(Math.max(0, i - 1)), { maxLength: i === 0 ? 0 : 2 }),
        })),
    ),
    jobs: fc.array(fc.array(fc.nat(n - 1), { minLength: 1, maxLength: 3 }), {
      minLength: 1,
      maxLength: 3,
    }),
  })
);

/** Builds the jobs of a spec with fresh devices. */
function build(s: Spec): Impl<"job">[] {
  const made: Impl<Leaf>[] = [];
  s.devices.forEach((d, i) => {
    const t = typ(d.type);
    const extraDeps = d.deps.map((j) => made[j]);
    if (d.args.length === 0) {
      made.push(impl(`Dev${i}`, t, { extraDeps, connect: (_i, m) => `${m}.connect ()` }));
      return;
    }
    const args = d.args.map((j) => made[j]);
    const functor = impl(`Fun${i}.Make`, fn(...args.map((a) => typ(leafOf(a))), t) as never, {
      extraDeps,
    });
    made.push((apply as (f: unknown, ...a: unknown[]) => Impl<Leaf>)(functor, ...args));
  });
  return s.jobs.map((uses, k) => {
    const args = uses.map((j) => made[j]);
    const app = main(`App${k}.Make`, fn(...args.map((a) => typ(leafOf(a))), job) as never);
    return (apply as (f: unknown, ...a: unknown[]) => Impl<"job">)(app, ...args);
  });
}

function leafOf(i: Impl<unknown>): string {
  const shape = i.typ;
  return shape.kind === "leaf" ? shape.name : "";
}

function mainMl(s: Spec): string {
  const out = configureJobs(build(s), "unix");
  return out.files.find((f) => f.path.endsWith("mirage/main.ml"))!.contents;
}

/** Each `let x = lazy (...)` binding and the variables it forces. */
function bindings(ml: string): { name: string; at: number; forces: string[] }[] {
  const found = [];
  const re = /^let (\w+) = lazy \(/gm;
  const starts = [...ml.matchAll(re)];
  const tops = [...ml.matchAll(/^let /gm)].map((m) => m.index);
  for (let k = 0; k < starts.length; k++) {
    const end = tops.find((t) => t > starts[k].index) ?? ml.length;
    const body = ml.slice(starts[k].index, end);
    const forces = [...body.matchAll(/Lazy\.force (\w+)/g)].map((m) => m[1]);
    found.push({ name: starts[k][1], at: starts[k].index, forces });
  }
  return found;
}

Deno.test("configure never crashes on a well-typed graph and is deterministic", () => {
  fc.assert(
    fc.property(spec, (s) => {
      assert.equal(mainMl(s), mainMl(s));
    }),
    { numRuns: 150 },
  );
});

Deno.test("every device is forced after the devices it depends on", () => {
  fc.assert(
    fc.property(spec, (s) => {
      const bs = bindings(mainMl(s));
      const position = new Map(bs.map((b) => [b.name, b.at]));
      for (const b of bs) {
        for (const f of b.forces) {
          assert.ok(position.has(f), `${b.name} forces undefined ${f}`);
          assert.ok(position.get(f)! < b.at, `${b.name} forces ${f}, defined after it`);
        }
      }
    }),
    { numRuns: 150 },
  );
});

Deno.test({
  name: "every generated main.ml passes the OCaml parser",
  ignore: !(await ocamlcAvailable()) && !Deno.env.get("CI"),
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "unik-prop-" });
    const samples = fc.sample(spec, { numRuns: 40, seed: 42 });
    const files = [];
    for (const [i, s] of samples.entries()) {
      const file = join(dir, `main${i}.ml`);
      await Deno.writeTextFile(file, mainMl(s));
      files.push(file);
    }
    for (const file of files) assert.equal(await ocamlParses(file), undefined, file);
  },
});
