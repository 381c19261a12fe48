/**
 * `deno task bench`: how fast unik configures, written to BENCHMARKS.md with the machine and
 * Deno version. `--quick` (CI) runs small sizes and few repetitions and prints the table
 * without writing BENCHMARKS.md; no threshold is asserted either way, the targets are stated
 * next to the numbers.
 * @module
 */

import { join } from "node:path";
import { cpus, loadavg, totalmem } from "node:os";
import { apply, fn, type Impl, impl, job, main, register, typ } from "unik";
import { configure } from "../lib/configure.ts";
import { projectRoot } from "../lib/project.ts";
import { ConfigSession } from "../lib/sandbox/mod.ts";
import { resolveProjectPlugins } from "../lib/plugins/project.ts";
import { pluginImports } from "../lib/plugins/imports.ts";
import { startPluginHost } from "../tests/plugin_host.ts";
import { DUNE_SKIPPED, RACY_MS } from "../lib/toolchain/dune_stamp.ts";
import { ocamlLibrariesReady } from "../tests/ocaml_ready.ts";

const REPO = new URL("../", import.meta.url).pathname;
const quick = Deno.args.includes("--quick");
const RUNS = quick ? 3 : 15;
const SIZES = quick ? [10, 100, 1_000] : [10, 100, 1_000, 10_000, 50_000, 100_000];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const ms = (x: number) => x < 10 ? x.toFixed(1) : x.toFixed(0);

async function copyDir(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) {
    if (e.isFile) await Deno.copyFile(join(from, e.name), join(to, e.name));
    else if (e.isDirectory && !["mirage", "dist", "_build", "duniverse"].includes(e.name)) {
      await copyDir(join(from, e.name), join(to, e.name));
    }
  }
}

/** Wall time of `unik configure -t unix` as a fresh process, median over RUNS. */
async function wholeProcess(project: string, edit: boolean): Promise<number> {
  const dir = await Deno.makeTempDir({ prefix: "unik-bench-" });
  await copyDir(join(REPO, project), dir);
  const config = join(dir, "config.ts");
  const original = await Deno.readTextFile(config);
  const cache = await Deno.makeTempDir({ prefix: "unik-bench-cache-" });
  const cmd = () =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--config", join(REPO, "deno.json"), join(REPO, "main.ts"), "configure"],
      cwd: dir,
      env: { NO_COLOR: "1", MODE: "unix", UNIK_CACHE_DIR: cache },
      stdout: "null",
      stderr: "piped",
    });
  // Two runs first: the first writes the context, the second reads it back and is recorded.
  for (let i = 0; i < 2; i++) {
    const out = await cmd().output();
    if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  }
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    if (edit) await Deno.writeTextFile(config, `${original}\n// edit ${Date.now()} ${i}\n`);
    const t = performance.now();
    const out = await cmd().output();
    times.push(performance.now() - t);
    if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  }
  await Deno.remove(dir, { recursive: true });
  await Deno.remove(cache, { recursive: true });
  return median(times);
}

/** Median wall time of `deno ARGS` as a fresh process. */
async function processTime(args: string[]): Promise<number> {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await new Deno.Command(Deno.execPath(), { args, stdout: "null", stderr: "null" }).output();
    times.push(performance.now() - t0);
  }
  return median(times);
}

/**
 * Wall times of a command in `cwd`, one fresh process per run; the first run is returned apart.
 * `check` is given the standard error of every run but the first, to make sure each measured
 * what the table says.
 */
async function timesOf(
  cmd: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
  check: (stderr: string) => boolean = () => true,
) {
  const times = [];
  for (let i = 0; i <= RUNS; i++) {
    const t0 = performance.now();
    const out = await new Deno.Command(cmd, { args, cwd, env, stdout: "null", stderr: "piped" })
      .output();
    times.push(performance.now() - t0);
    const stderr = new TextDecoder().decode(out.stderr);
    if (!out.success) throw new Error(stderr);
    if (i > 0 && !check(stderr)) throw new Error(`${cmd} ${args.join(" ")}: unexpected\n${stderr}`);
  }
  return { first: times[0], warm: median(times.slice(1)) };
}

/**
 * A no-op build of examples/hello against the test duniverse: `unik build` (offline, as
 * remembered from the first build) against `dune build` of the same tree, which is all mirage's
 * `make build` runs, and `unik build --force`, which runs dune whatever its stamp says. All
 * after a full build whose files have settled (see lib/toolchain/dune_stamp.ts); the first
 * run of each apart from the median: for `unik build`, it runs dune (the dune runs before it
 * rewrote dune's log, which the stamp covers) and records the stamp the others find.
 */
async function noopBuild() {
  const dir = await Deno.makeTempDir({ prefix: "unik-bench-build-" });
  await copyDir(join(REPO, "examples/hello"), dir);
  const cache = await Deno.makeTempDir({ prefix: "unik-bench-cache-" });
  const env = { NO_COLOR: "1", MODE: "unix", UNIK_CACHE_DIR: cache, PATH: Deno.env.get("PATH")! };
  const unik = ["run", "-A", "--config", join(REPO, "deno.json"), join(REPO, "main.ts"), "build"];
  const full = await new Deno.Command(Deno.execPath(), {
    args: [...unik, "--offline", "--duniverse", join(REPO, "tests/fixtures/duniverse")],
    cwd: dir,
    env,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!full.success) throw new Error(new TextDecoder().decode(full.stderr));
  await new Promise((r) => setTimeout(r, RACY_MS + 200));
  const dune = await timesOf(
    "dune",
    ["build", "--profile", "release", "--root", ".", "./dist"],
    dir,
    env,
  );
  const skipped = (stderr: string) => stderr.includes(DUNE_SKIPPED);
  const unikTimes = await timesOf(Deno.execPath(), unik, dir, env, skipped);
  const forced = await timesOf(Deno.execPath(), [...unik, "--force"], dir, env, (e) => !skipped(e));
  await Deno.remove(dir, { recursive: true });
  await Deno.remove(cache, { recursive: true });
  return { dune, unik: unikTimes, forced };
}

type Shape = "chain" | "nesting" | "fan-out" | "shared";
const t = typ("t");

/** A graph of about `n` devices of the given shape, as the jobs to register. */
function graph(shape: Shape, n: number): Impl<"job">[] {
  if (shape === "chain") {
    // Each device depends on the previous one (extra dependencies, not functor arguments).
    let prev: Impl<"t"> = impl("D0", t);
    for (let i = 1; i < n; i++) prev = impl(`D${i}`, t, { extraDeps: [prev] });
    return [apply(main("App.Make", fn(t, job)), prev)];
  }
  if (shape === "nesting") {
    // F_n(...F_2(F_1(D0))...): every level a functor application.
    let prev: Impl<"t"> = impl("D0", t);
    for (let i = 1; i < n; i++) prev = apply(impl(`F${i}.Make`, fn(t, t)), prev);
    return [apply(main("App.Make", fn(t, job)), prev)];
  }
  if (shape === "fan-out") {
    // n jobs over one shared device.
    const shared = impl("Shared", t);
    return Array.from({ length: n }, (_, i) => apply(impl(`J${i}.Make`, fn(t, job)), shared));
  }
  // n jobs, each applied to two of sqrt(n) shared devices.
  const k = Math.max(2, Math.round(Math.sqrt(n)));
  const pool = Array.from({ length: k }, (_, i) => impl(`P${i}`, t));
  return Array.from(
    { length: n },
    (_, i) => apply(impl(`J${i}.Make`, fn(t, t, job)), pool[i % k], pool[(i * 7 + 1) % k]),
  );
}

/** Graph building + evaluation + code generation in-process, and the heap it took. */
function inProcess(
  shape: Shape,
  n: number,
): { ms: number; cold: number; runs: number; mib: number } {
  const runs = n >= 10_000 ? (quick ? 1 : 5) : RUNS;
  const times = [];
  let peak = 0;
  for (let i = 0; i < runs; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    const before = Deno.memoryUsage().heapUsed;
    const start = performance.now();
    const registration = register("bench", graph(shape, n));
    const out = configure(registration, projectRoot(registration), {
      configFile: "config.ts",
      projectRootUrl: `file://${REPO}`,
      keys: { target: "unix" },
      argv: [],
      extraRepos: [],
      depext: true,
    });
    times.push(performance.now() - start);
    peak = Math.max(peak, Deno.memoryUsage().heapUsed - before);
    if (!out.files.some((f) => f.path.endsWith("main.ml"))) throw new Error("no main.ml");
  }
  // The first run is a configure's: cold code, before V8 has optimised anything.
  return { ms: median(times), cold: times[0], runs, mib: peak / 1024 / 1024 };
}

/**
 * {@link inProcess} in a process of its own, as a configure of that graph runs: a large graph
 * is not measured on a heap that earlier, smaller ones have grown and fragmented.
 */
async function freshProcess(
  shape: Shape,
  n: number,
): Promise<{ ms: number; cold: number; runs: number; mib: number }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      "--v8-flags=--expose-gc",
      "--config",
      join(REPO, "deno.json"),
      join(REPO, "scripts/bench.ts"),
      "--graph",
      shape,
      String(n),
      ...(quick ? ["--quick"] : []),
    ],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error(`the ${shape} graph of ${n} devices failed`);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

if (Deno.args[0] === "--graph") {
  console.log(JSON.stringify(inProcess(Deno.args[1] as Shape, Number(Deno.args[2]))));
  Deno.exit(0);
}

/**
 * Plugin loading: resolution from a 127.0.0.1 host (cold) or the cache (warm), and the time the
 * sandbox takes to load one plugin and then a second one (the validator's one-time load is the
 * difference).
 */
async function pluginLoading(): Promise<
  { cold: number; warm: number; first: number; each: number }
> {
  const host = await startPluginHost();
  for (const file of ["led.ts", "names.ts"]) {
    const text = await Deno.readTextFile(join(REPO, "tests/fixtures/plugins/acme", file));
    host.set(`/acme2/${file}`, text.replace('"acme-led"', '"acme-led-two"'));
  }
  const dir = await Deno.makeTempDir({ prefix: "unik-bench-plugin-" });
  const configs = {
    base: 'import { register } from "unik";\nexport default register("b", []);\n',
    one: `import { apply, fn, job, main, register } from "unik";
import { acmeLed, led } from "${host.origin}/acme/led.ts";
export default register("b", [apply(main("App.Make", fn(led, job)), acmeLed())]);
`,
    two: `import { apply, fn, job, main, register } from "unik";
import { acmeLed, led } from "${host.origin}/acme/led.ts";
import * as two from "${host.origin}/acme2/led.ts";
export default register("b", [apply(main("App.Make", fn(led, led, job)), acmeLed(), two.acmeLed())]);
`,
  };
  for (const [name, text] of Object.entries(configs)) {
    await Deno.writeTextFile(join(dir, `${name}.ts`), text);
  }
  const cold = [];
  const warm = [];
  const open: Record<string, number[]> = { base: [], one: [], two: [] };
  for (let i = 0; i < RUNS; i++) {
    const env = { UNIK_CACHE_DIR: await Deno.makeTempDir() };
    const entries = pluginImports(configs.two, `file://${dir}/two.ts`);
    let t0 = performance.now();
    const first = await resolveProjectPlugins(dir, entries, { env });
    cold.push((performance.now() - t0) / 2);
    await Deno.writeTextFile(join(dir, "unik.lock"), JSON.stringify(first.lock));
    t0 = performance.now();
    const again = await resolveProjectPlugins(dir, entries, { env, frozen: true });
    warm.push((performance.now() - t0) / 2);
    if (again.plugins.some((p) => p.downloaded)) throw new Error("warm load downloaded");
    const bundles = again.plugins;
    for (
      const [name, use] of [["base", []], ["one", bundles.slice(0, 1)], ["two", bundles]] as const
    ) {
      t0 = performance.now();
      const session = await ConfigSession.open(join(dir, `${name}.ts`), dir, { plugins: use });
      open[name].push(performance.now() - t0);
      await session.close();
    }
  }
  await host.stop();
  const base = median(open.base);
  const each = Math.max(0, median(open.two) - median(open.one));
  return { cold: median(cold), warm: median(warm), first: median(open.one) - base, each };
}

const lines: string[] = [];
const say = (s = "") => {
  lines.push(s);
  console.log(s);
};

const deno = Deno.version.deno;
say("# unik benchmarks");
say();
say(
  `Reproduce with \`deno task bench\` (CI runs \`deno task bench --quick\`, which writes nothing).`,
);
say();
say(
  `Machine: ${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, ${
    Math.round(totalmem() / 2 ** 30)
  } GiB; Deno ${deno} (V8 ${Deno.version.v8}); ${new Date().toISOString().slice(0, 10)}. ` +
    `Whole-process figures are medians of ${RUNS} runs, each a fresh process; the numbers ` +
    "given for mirage 4.9 are quoted (typed into scripts/bench.ts from mirage's own " +
    "measurements), not measured here.",
);
say(
  `Load average when the run started: ${loadavg()[0].toFixed(1)} on ${cpus().length} cores ` +
    "(other work on the machine slows every figure alike).",
);
say();
say("## Whole-process `unik configure -t unix`");
say();
say("| project | unchanged config.ts | after an edit to config.ts |");
say("| --- | ---: | ---: |");
const projects: [string, string][] = [
  ["examples/hello", "examples/hello"],
  ['`random` (`main "App.Make" (job @-> job) $ noop`)', "tests/fixtures/configs/random"],
  ["examples/http (largest example)", "examples/http"],
];
const whole: Record<string, [number, number]> = {};
for (const [label, dir] of projects) {
  const same = await wholeProcess(dir, false);
  const edited = await wholeProcess(dir, true);
  whole[dir] = [same, edited];
  say(`| ${label} | ${ms(same)} ms | ${ms(edited)} ms |`);
}
say();
say("## Graph evaluation and code generation, in-process");
say();
say(
  "Building the graph in TypeScript, evaluating it and generating every file, in memory; each " +
    "shape and size in a fresh process. Each cell is the median of repeated runs in that one " +
    "warm process (the count is in the first column), and in brackets the first, cold run, " +
    "which is what a configure pays.",
);
say();
say(
  "| devices (warm runs) | chain | functor nesting | fan-out | shared devices | peak heap (largest) |",
);
say("| ---: | ---: | ---: | ---: | ---: | ---: |");
const grid: Record<number, Record<Shape, number>> = {};
for (const n of SIZES) {
  const row: Record<string, number> = {};
  const cells: Record<string, string> = {};
  let mib = 0;
  let runs = 0;
  for (const shape of ["chain", "nesting", "fan-out", "shared"] as Shape[]) {
    const r = await freshProcess(shape, n);
    row[shape] = r.ms;
    cells[shape] = `${ms(r.ms)} ms (${ms(r.cold)})`;
    runs = r.runs;
    mib = Math.max(mib, r.mib);
  }
  grid[n] = row as Record<Shape, number>;
  say(
    `| ${n.toLocaleString("en")} (${runs}) | ${cells.chain} | ${cells.nesting} | ${
      cells["fan-out"]
    } | ${cells.shared} | ${mib.toFixed(1)} MiB |`,
  );
}
say();
say("## Plugin loading (one plugin of two modules, from 127.0.0.1)");
say();
const plugin = await pluginLoading();
say(
  "| resolve cold (download, hash, lock) | resolve warm (cache, verify) | sandbox: first plugin (loads zod and semver) | sandbox: each further plugin |",
);
say("| ---: | ---: | ---: | ---: |");
say(
  `| ${ms(plugin.cold)} ms | ${ms(plugin.warm)} ms | ${ms(plugin.first)} ms | ${
    ms(plugin.each)
  } ms |`,
);
say();
say("Resolution times are per plugin (two plugins resolved together, halved).");
say();
say("## No-op build (examples/hello, against the test duniverse)");
say();
const build = await ocamlLibrariesReady() ? await noopBuild() : undefined;
if (build) {
  say(
    "After a full build, with nothing to do: `unik build` (offline, as remembered) against " +
      "`dune build --profile release --root . ./dist` of the same tree, which is what mirage's " +
      `\`make build\` runs. Medians of ${RUNS} runs, each a fresh process; the first run apart.`,
  );
  say();
  say(
    "What the no-op `unik build` measures: Deno starting unik, the project lock, the replayed " +
      "configure (config.ts not evaluated), and the check of the dune stamp that the last " +
      "build recorded (lib/toolchain/dune_stamp.ts): one `lstat` of each path of the project " +
      "tree (duniverse/ included, `_build/` not), of dune's log and artifacts, of the local " +
      "duniverse directory, of where PATH finds dune and the compilers, of findlib's " +
      "configuration and of every directory under the findlib path, and a comparison of the " +
      "environment. They all matched, so **dune was not run**: each measured run checked that " +
      "it printed that dune was skipped. Its first run did run dune, because the `dune build` " +
      "runs before it had rewritten `_build/log`, and recorded the stamp. `unik build --force` " +
      "always runs dune: that is what a build costs when anything dune depends on changed, " +
      "over dune's own work.",
  );
  say();
  say("| command | median | first run |");
  say("| --- | ---: | ---: |");
  say(`| \`dune build\` | ${ms(build.dune.warm)} ms | ${ms(build.dune.first)} ms |`);
  say(
    `| no-op \`unik build\` (dune skipped) | ${ms(build.unik.warm)} ms | ${
      ms(build.unik.first)
    } ms (ran dune) |`,
  );
  say(
    `| \`unik build --force\` (dune run) | ${ms(build.forced.warm)} ms | ${
      ms(build.forced.first)
    } ms |`,
  );
} else say("Not measured: dune or the OCaml libraries of the test duniverse are missing.");
say();
say("## Targets");
say();
const random = whole["tests/fixtures/configs/random"];
const verdict = (ok: boolean) => ok ? "met" : "**missed**";
say("| target | measured | |");
say("| --- | --- | --- |");
say(
  `| configure, unchanged config, \`random\`: at most 60 ms (mirage 4.9: 56 ms, quoted) | ${
    ms(random[0])
  } ms | ${verdict(random[0] <= 60)} |`,
);
say(
  `| configure after an edit, \`random\`: at most 200 ms (mirage 4.9: 426 ms, quoted) | ${
    ms(random[1])
  } ms | ${verdict(random[1] <= 200)} |`,
);
const big = SIZES.includes(10_000) ? grid[10_000] : undefined;
if (big) {
  const worst = Math.max(...Object.values(big));
  say(
    `| 10,000 devices in-process under 1 s | ${ms(worst)} ms (worst shape) | ${
      verdict(worst < 1000)
    } |`,
  );
}
if (SIZES.includes(100_000)) {
  // Growth between two sizes as the factor a doubling costs: t2/t1 = (n2/n1)^k gives 2^k.
  const doubling = (shape: Shape, n1: number, n2: number) =>
    2 ** (Math.log(grid[n2][shape] / grid[n1][shape]) / Math.log(n2 / n1));
  let worst = 0;
  let where = "";
  for (let i = SIZES.indexOf(1_000); i < SIZES.length - 1; i++) {
    for (const shape of Object.keys(grid[SIZES[i]]) as Shape[]) {
      const d = doubling(shape, SIZES[i], SIZES[i + 1]);
      if (d > worst) {
        worst = d;
        where = `${shape}, ${SIZES[i].toLocaleString("en")} to ${
          SIZES[i + 1].toLocaleString("en")
        }`;
      }
    }
  }
  say(
    `| linear growth 1,000 to 100,000: doubling at most 2.2x | worst ${
      worst.toFixed(2)
    }x per doubling (${where}) | ${verdict(worst <= 2.2)} |`,
  );
}
if (build) {
  const ratio = build.unik.warm / build.dune.warm;
  say(
    `| no-op \`unik build\` within 1.1x of dune's own no-op (\`make build\`) | ${
      ratio.toFixed(2)
    }x (${ms(build.unik.warm)} ms against ${ms(build.dune.warm)} ms; dune skipped, see above) | ${
      verdict(ratio <= 1.1)
    } |`,
  );
}
say(
  `| warm plugin loading under 20 ms per plugin | ${
    ms(plugin.warm + plugin.each)
  } ms per plugin, after a one-time ${ms(plugin.first - plugin.each)} ms validator load | ${
    verdict(plugin.warm + plugin.each < 20)
  } |`,
);
say();
say("## Where the whole-process time goes");
say();
const startup = await processTime(["eval", "0"]);
const version = await processTime([
  "run",
  "-A",
  "--config",
  join(REPO, "deno.json"),
  join(REPO, "main.ts"),
  "--version",
]);
say(
  `A bare \`deno eval 0\` takes ${ms(startup)} ms here and \`unik --version\` ${
    ms(version)
  } ms. A configure after an edit adds the sandbox process: unik starts it as soon as it knows ` +
    "it will evaluate config.ts, so that its Deno starting overlaps with loading the " +
    "command-line parser, the commands and the protocol's schemas in unik; then the worker " +
    "inside it (about 15 ms to start), unik's engine and config.ts loaded in it, the " +
    "evaluation, and in unik code generation and the atomic write (about 15 ms for `random`). " +
    "With config.ts and everything else it depends on " +
    "unchanged, configure replays the previous run's effects instead (README, 'Configuring " +
    "again'): no worker, no command-line parser, no engine, only the project lock, one " +
    "comparison of the recorded inputs with the files and the unchanged-file check of the " +
    "write. In-process, most of the time per device goes to resolving its source position " +
    "(V8 call sites, for the `# line` directives of main.ml) and to garbage collection, " +
    "whose share grows with the heap. A no-op build is a replayed configure, the check of " +
    "the dune stamp (a few hundred `lstat`s for examples/hello) and no dune.",
);
say();
say(`Load average when the run ended: ${loadavg()[0].toFixed(1)}.`);
if (!quick) await Deno.writeTextFile(join(REPO, "BENCHMARKS.md"), lines.join("\n") + "\n");
