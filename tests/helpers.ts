/**
 * Test helpers: temporary projects, running the CLI in-process with captured output, and
 * golden files (regenerate with UPDATE_GOLDEN=1, then review the diff like code).
 * @module
 */

import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runCli } from "../main.ts";
import { type Impl, register } from "unik";
import type { KeyValue } from "../lib/dsl/key.ts";
import { configure, type Configured } from "../lib/configure.ts";
import { projectRoot } from "../lib/project.ts";
import type { FileSystem } from "../lib/write.ts";

/** The repository root. */
export const REPO = fileURLToPath(new URL("../", import.meta.url));

/** What a CLI run printed and returned. */
export interface RunResult {
  /** Exit code. */
  readonly code: number;
  /** Standard output. */
  readonly stdout: string;
  /** Standard error. */
  readonly stderr: string;
}

/**
 * Runs `unik args` in `cwd`, in-process. The generated files call unik as `unikCommand`: by
 * default `unik`, what a unik on the PATH is called, as the golden files show it.
 */
export async function unik(
  cwd: string,
  args: readonly string[],
  env: Record<string, string> = {},
  fs?: FileSystem,
  unikCommand: readonly string[] = ["unik"],
): Promise<RunResult> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    cwd,
    env: { NO_COLOR: "1", ...env },
    out: (t) => (stdout += t),
    err: (t) => (stderr += t),
    fs,
    unikCommand,
  });
  return { code, stdout, stderr };
}

/** A temporary project holding `files` (relative path to contents). */
export async function tempProject(files: Record<string, string>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "unik-test-" });
  for (const [path, contents] of Object.entries(files)) {
    await Deno.mkdir(dirname(join(dir, path)), { recursive: true });
    await Deno.writeTextFile(join(dir, path), contents);
  }
  return dir;
}

/**
 * A fresh, empty unik cache and configuration home (HOME too) and the environment naming them,
 * so that a test's plugin downloads and lock entries are its own.
 */
export async function freshUnikHome(): Promise<{ cache: string; env: Record<string, string> }> {
  const cache = await Deno.makeTempDir({ prefix: "unik-cache-" });
  return {
    cache,
    env: { UNIK_CACHE_DIR: cache, UNIK_CONFIG_HOME: join(cache, "config"), HOME: cache },
  };
}

/** A temporary copy of a directory of the repository (an example or a fixture). */
export async function copyOf(repoDir: string): Promise<string> {
  const files: Record<string, string> = {};
  const src = join(REPO, repoDir);
  for await (const entry of Deno.readDir(src)) {
    if (entry.isFile) files[entry.name] = await Deno.readTextFile(join(src, entry.name));
  }
  return await tempProject(files);
}

/** Every file below `dir` (relative paths, sorted) with its contents. */
export async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (d: string, prefix: string) => {
    for await (const e of Deno.readDir(d)) {
      const rel = prefix + e.name;
      if (e.isDirectory) await walk(join(d, e.name), `${rel}/`);
      else out.set(rel, await Deno.readTextFile(join(d, e.name)));
    }
  };
  await walk(dir, "");
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Compares `actual` with the golden file `tests/golden/<name>` (or writes it). */
export async function assertGolden(name: string, actual: string): Promise<void> {
  const path = join(REPO, "tests", "golden", name);
  if (Deno.env.get("UPDATE_GOLDEN") === "1") {
    await Deno.mkdir(dirname(path), { recursive: true });
    await Deno.writeTextFile(path, actual);
    return;
  }
  let expected: string;
  try {
    expected = await Deno.readTextFile(path);
  } catch {
    throw new Error(`missing golden file tests/golden/${name}: run with UPDATE_GOLDEN=1`);
  }
  assert.equal(
    actual,
    expected,
    `golden file tests/golden/${name} differs (UPDATE_GOLDEN=1 rewrites it)`,
  );
}

/** Configures jobs in-process for a target (no files written); returns what was generated. */
export function configureJobs(
  jobs: readonly Impl<"job">[],
  target: string,
  keys: Record<string, KeyValue> = {},
): Configured {
  const registration = register("t", jobs);
  return configure(registration, projectRoot(registration), {
    configFile: "config.ts",
    projectRootUrl: new URL("../", import.meta.url).href,
    keys: { target, ...keys },
    argv: [],
    extraRepos: [],
    depext: true,
  });
}

let processCache: string | undefined;

/**
 * `unik args` as a separate process, its output piped: no colours, and a cache directory of the
 * test run's own rather than the user's.
 */
export function unikCommand(
  cwd: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Deno.Command {
  processCache ??= Deno.makeTempDirSync({ prefix: "unik-test-cache-" });
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      "--config",
      join(REPO, "deno.json"),
      join(REPO, "main.ts"),
      ...args,
    ],
    cwd,
    env: { NO_COLOR: "1", UNIK_CACHE_DIR: processCache, ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
}

/** Runs `unik args` as a separate process (for commands that start other processes). */
export async function unikProcess(
  cwd: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<RunResult> {
  const out = await unikCommand(cwd, args, env).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** Every tool unik may run. */
export const FAKE_TOOLS = [
  "opam",
  "dune",
  "ocamlc",
  "ocamlfind",
  "solo5-elftool",
  "solo5-hvt",
  "solo5-spt",
  "qemu-system-x86_64",
  "firecracker",
  "xl",
];

/** One recorded invocation of a fake tool. */
export interface FakeCall {
  /** Tool name. */
  readonly tool: string;
  /** Working directory. */
  readonly cwd: string;
  /** OPAMVAR_monorepo in its environment. */
  readonly monorepoVar: string;
  /** Arguments. */
  readonly args: string[];
}

/** A directory of fake tools (all but `without`) and the log they write. */
export async function fakeToolchain(without: readonly string[] = []) {
  const bin = await Deno.makeTempDir({ prefix: "unik-fake-bin-" });
  const log = join(bin, "calls.log");
  await Deno.writeTextFile(log, "");
  for (const tool of FAKE_TOOLS) {
    if (!without.includes(tool)) {
      await Deno.symlink(join(REPO, "tests/fixtures/fake-toolchain/fake"), join(bin, tool));
    }
  }
  return {
    env: { PATH: `${bin}:/usr/bin:/bin`, UNIK_FAKE_LOG: log },
    log,
    async calls(): Promise<FakeCall[]> {
      const text = await Deno.readTextFile(log);
      return text.split("\n").filter((l) => l).map((l) => {
        const [tool, cwd, monorepoVar, ...args] = l.split("\x1f");
        return { tool, cwd, monorepoVar, args };
      });
    },
  };
}

/** Whether ocamlc runs here (.ci/run installs it from Debian). */
export async function ocamlcAvailable(): Promise<boolean> {
  try {
    return (await new Deno.Command("ocamlc", { args: ["-version"], stdout: "null", stderr: "null" })
      .output()).success;
  } catch {
    return false;
  }
}

/**
 * What the OCaml parser says about `file`: undefined when it parses. Without ocamlc it is
 * undefined too, except in CI, where ocamlc must be there.
 */
export async function ocamlParses(file: string): Promise<string | undefined> {
  try {
    const out = await new Deno.Command("ocamlc", {
      args: ["-stop-after", "parsing", "-c", file],
      cwd: dirname(file),
      stdout: "piped",
      stderr: "piped",
    }).output();
    return out.success ? undefined : new TextDecoder().decode(out.stderr);
  } catch (e) {
    if (Deno.env.get("CI")) throw e;
    return undefined;
  }
}
