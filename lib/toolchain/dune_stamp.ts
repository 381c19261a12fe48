/**
 * The up-to-date stamp of `dune build`: after a successful dune build, unik records the state
 * of everything dune's result depends on, and a later build whose state is the same in every
 * part skips dune, which would have found nothing to do. This is what brings a no-op
 * `unik build` under dune's own no-op: Deno starting and a few hundred `lstat`s cost less than
 * dune loading its rules.
 *
 * The stamp covers, each entry by path, type, size, modification and change time, inode and
 * mode (a symbolic link also by its target):
 * - every entry of the project tree, duniverse/ and the generated files included, but for
 *   `_build/` (dune's own, where the stamp lives), unik's step logs (`mirage/log/`) and its
 *   project lock (`.unik-lock`, there only while unik runs);
 * - dune's record of its last build (`_build/log`, `_build/.db`) and the artifacts it built
 *   (`_build/default/<build dir>dist/`);
 * - the local duniverse directory a build mirrors (`--duniverse DIR`), so that a build may
 *   skip the mirroring too;
 * - the whole environment dune runs with, but for `_` and `OLDPWD`, which a shell changes
 *   between two commands and no build reads;
 * - where PATH resolves dune, ocamlfind and the compilers (every PATH entry up to the one
 *   found, so a new program earlier on PATH counts), the findlib configuration and its
 *   toolchains, dune's user configuration;
 * - every directory under the findlib search path and the standard library of each ocamlfind
 *   toolchain the dune-workspace names: installing, removing, upgrading or reinstalling a
 *   library (opam, ocamlfind, dune install, dpkg, install(1)) creates, removes or renames
 *   entries, which changes their directories. Not the files in them, whose stat would cost a
 *   no-op more than dune's own: a library file rewritten in place (`cp` onto it) without any
 *   entry of its directory changing is not seen, and needs `--force`; so is a file outside
 *   the project and the libraries that a dune rule names by absolute path.
 *
 * Any doubt means no stamp, so dune runs: a symbolic link to a directory (dune would follow
 * it), DUNE_BUILD_DIR, DUNE_ROOT or DUNE_WORKSPACE set, a tool that cannot be queried, and an
 * entry changed within {@link RACY_MS} before dune started, because a file rewritten within
 * the same tick of the file system's clock may keep its times (git's "racily clean" index
 * entries); any difference, outside the artifacts dune writes, between the state before and
 * after dune ran.
 * @module
 */

import { dirname, isAbsolute, join } from "node:path";
import { sha256 } from "../digest.ts";
import { replaceFile } from "../write.ts";
import { PROJECT_LOCK } from "../project_lock.ts";

const FORMAT = "unik-dune-stamp-1";

/** What a build prints when the stamp lets it skip dune. */
export const DUNE_SKIPPED: string =
  "• build the unikernel: skipped, nothing dune depends on changed since it last built " +
  "(--force runs it)";

/** How recent a change must be for the stamp not to trust times alone (any file system's tick). */
export const RACY_MS = 2000;

/** The programs a dune build of a MirageOS unikernel runs, looked up on PATH. */
const STAMPED_TOOLS: readonly string[] = [
  "dune",
  "ocamlfind",
  "ocamlc",
  "ocamlc.opt",
  "ocamlopt",
  "ocamlopt.opt",
  "ocamldep",
  "ocamldep.opt",
  "ocamlmklib",
];

/** Variables that change between two commands of one shell and that no build reads. */
const UNSTAMPED_ENV = new Set(["_", "OLDPWD"]);

/** Variables that move dune's build directory or workspace: unik then never skips dune. */
const DOUBTFUL_ENV = ["DUNE_BUILD_DIR", "DUNE_ROOT", "DUNE_WORKSPACE"];

/** A command as the stamp keys it: the program, its arguments and where it runs. */
export interface DuneCommand {
  /** The program, looked up on PATH. */
  readonly tool: string;
  /** Its arguments. */
  readonly args: readonly string[];
  /** Its working directory. */
  readonly cwd?: string;
}

/** What a dune build is: the step, where its project is, what it mirrors, its environment. */
export interface StampScope {
  /** The project root. */
  readonly root: string;
  /** The build directory (ProjectPaths.buildDir: "" or "sub/"). */
  readonly buildDir: string;
  /** The dune command (toolchain/dune.ts `build`). */
  readonly step: DuneCommand;
  /**
   * Trees outside the project the build reads (a mirrored --duniverse DIR), absolute. They are
   * kept in the stamp: a check may pass none, as the saved context (part of the state) names
   * them.
   */
  readonly extraTrees: readonly string[];
  /** The environment dune runs with. */
  readonly env: Readonly<Record<string, string>>;
}

/**
 * What a recorded stamp keeps: every path of the state, and the digest of what was there. A
 * check stats these paths without listing any directory (but the root): an entry made,
 * removed or renamed in a directory changes that directory's times (POSIX), and every
 * directory of the state is one of the paths.
 */
interface Stamp {
  readonly format: typeof FORMAT;
  /** The step and environment of the build ({@link scopeKey}). */
  readonly key: string;
  /** The paths of the state after the root listing, in order. */
  readonly paths: readonly string[];
  /** The sha256 of the state's text. */
  readonly digest: string;
  /** Lines the build printed for the steps it skipped, printed again when dune is skipped. */
  readonly skipped: readonly string[];
}

/** Paths outside the project tree that dune's result depends on. */
interface External {
  /** Files or directories stat'ed alone (absent is a state too). */
  readonly files: readonly string[];
  /** Trees walked whole. */
  readonly trees: readonly string[];
  /** Trees of installed libraries, whose directories are walked. */
  readonly libraries: readonly string[];
}

/**
 * The stamp file of a project's build directory: in `_build/`, which the stamp does not cover
 * (writing it changes its directory) and which `dune clean` removes with the artifacts.
 */
function stampPath(root: string, buildDir: string): string {
  return join(
    root,
    "_build",
    `.unik-dune-stamp${buildDir ? `-${encodeURIComponent(buildDir)}` : ""}`,
  );
}

/** Thrown while reading a state that cannot be trusted; the build then runs dune. */
class Doubt extends Error {}

/** One entry of a state, and when it last changed. */
interface Entry {
  readonly path: string;
  readonly line: string;
  /** The later of its modification and change times, ms. */
  readonly changed: number;
}

function lstatOrUndefined(path: string): Deno.FileInfo | undefined {
  try {
    return Deno.lstatSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) {
      return undefined;
    }
    throw e;
  }
}

const times = (i: Deno.FileInfo) => `${i.mtime?.getTime()} ${i.ctime?.getTime()}`;

/** The state of `path`, or that there is none; a link also by its target and what it is. */
function entryOf(path: string): Entry {
  const info = lstatOrUndefined(path);
  if (!info) return { path, line: `${path}\tabsent`, changed: 0 };
  const kind = info.isFile ? "f" : info.isDirectory ? "d" : info.isSymlink ? "l" : "o";
  let line = `${path}\t${kind} ${info.size} ${times(info)} ${info.ino} ${info.mode}`;
  let changed = Math.max(info.mtime?.getTime() ?? 0, info.ctime?.getTime() ?? 0);
  if (info.isSymlink) {
    const target = (() => {
      try {
        return Deno.statSync(path);
      } catch {
        return undefined; // a dangling link: its own stat and target text are the state
      }
    })();
    if (target?.isDirectory) throw new Doubt(`${path} links to a directory`);
    line += ` -> ${Deno.readLinkSync(path)} ${target ? `${target.size} ${times(target)}` : "-"}`;
    if (target) {
      changed = Math.max(changed, target.mtime?.getTime() ?? 0, target.ctime?.getTime() ?? 0);
    }
  }
  return { path, line, changed };
}

/**
 * Every entry under `dir` (sorted, so that the order of readdir never matters), but `skip`;
 * with `dirsOnly`, the directories alone.
 */
function walk(dir: string, skip: (path: string) => boolean, out: Entry[], dirsOnly = false): void {
  let names: { name: string; isDirectory: boolean }[];
  try {
    names = [...Deno.readDirSync(dir)].map((e) => ({ name: e.name, isDirectory: e.isDirectory }));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) return;
    throw e;
  }
  names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const { name, isDirectory } of names) {
    const path = join(dir, name);
    if (skip(path) || dirsOnly && !isDirectory) continue;
    out.push(entryOf(path));
    if (isDirectory) walk(path, skip, out, dirsOnly);
  }
}

/** The step and environment of a build, as one string. */
function scopeKey(scope: Omit<StampScope, "extraTrees">): string {
  const env = Object.entries(scope.env)
    .filter(([name]) => !UNSTAMPED_ENV.has(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const { tool, args, cwd } = scope.step;
  return JSON.stringify([FORMAT, tool, args, cwd, scope.root, env]);
}

/** Where PATH finds `tool`: each PATH entry tried, up to and including the one that has it. */
function pathCandidates(tool: string, path: string): string[] {
  const tried: string[] = [];
  for (const dir of path.split(":")) {
    if (dir === "" || !isAbsolute(dir)) continue;
    const candidate = join(dir, tool);
    tried.push(candidate);
    if (lstatOrUndefined(candidate)) break;
  }
  return tried;
}

/** The artifacts and records dune keeps, which it rewrites as it builds. */
function duneRecords(root: string, buildDir: string): { files: string[]; trees: string[] } {
  return {
    files: [join(root, "_build", "log"), join(root, "_build", ".db")],
    trees: [join(root, "_build", "default", buildDir, "dist")],
  };
}

/** Whether dune may write `path` while it builds: the promoted dist/ and its own records. */
function writtenByDune(root: string, buildDir: string, path: string): boolean {
  const dist = join(root, buildDir, "dist");
  return path === dist || path.startsWith(`${dist}/`) || path.startsWith(join(root, "_build/"));
}

/**
 * The names in the project root but unik's lock. Not the root's own times: the lock file comes
 * and goes in it while unik runs.
 */
function rootListing(root: string): Entry {
  const lock = PROJECT_LOCK;
  const names = [...Deno.readDirSync(root)].map((e) => e.name).filter((n) => n !== lock).sort();
  return { path: root, line: `${root}\tnames ${JSON.stringify(names)}`, changed: 0 };
}

/** The whole state a stamp covers, as entries in a fixed order. */
function stateOf(scope: Omit<StampScope, "extraTrees">, external: External): Entry[] {
  const { root, buildDir } = scope;
  const build = join(root, "_build");
  const logs = join(root, buildDir, "mirage", "log");
  const lock = join(root, PROJECT_LOCK);
  const skipProject = (p: string) => p === build || p === logs || p === lock;
  const out: Entry[] = [rootListing(root)];
  walk(root, skipProject, out);
  const records = duneRecords(root, buildDir);
  for (const file of records.files) out.push(entryOf(file));
  for (const tree of [...records.trees, ...external.trees]) {
    out.push(entryOf(tree));
    walk(tree, () => false, out);
  }
  for (const tree of external.libraries) {
    out.push(entryOf(tree));
    walk(tree, () => false, out, true);
  }
  for (const file of external.files) out.push(entryOf(file));
  return out;
}

const digestOf = (state: readonly Entry[]) => sha256(state.map((e) => e.line).join("\n"));

/** Standard output of a query that must succeed, trimmed; a Doubt otherwise. */
async function query(tool: string, args: string[], cwd: string): Promise<string> {
  // Loaded here: a check never queries, and a build that records has loaded it already.
  const { capture } = await import("./process.ts");
  const r = await capture(tool, args, cwd).catch(() => undefined);
  if (!r || r.code !== 0 || /warning/i.test(r.stderr)) {
    throw new Doubt(`${tool} ${args.join(" ")} failed`);
  }
  return r.stdout.trim();
}

/** An absolute path that exists, or a Doubt. */
function existing(path: string, what: string): string {
  if (!isAbsolute(path) || !lstatOrUndefined(path)) throw new Doubt(`${what}: ${path}`);
  return path;
}

/**
 * What outside the project dune's result depends on, learnt from ocamlfind and ocamlc (run
 * with the build's PATH): the tools' places on PATH, findlib's configuration and search path
 * and the standard library, for the default toolchain and each one the dune-workspace names.
 */
async function externalOf(scope: StampScope): Promise<External> {
  const { root, env } = scope;
  for (const name of DOUBTFUL_ENV) if (env[name] !== undefined) throw new Doubt(name);
  const files = STAMPED_TOOLS.flatMap((t) => pathCandidates(t, env.PATH ?? ""));
  const configHome = env.XDG_CONFIG_HOME ?? (env.HOME ? join(env.HOME, ".config") : undefined);
  if (configHome) files.push(join(configHome, "dune", "config"));
  let workspace = "";
  try {
    workspace = Deno.readTextFileSync(join(root, "dune-workspace"));
  } catch { /* no dune-workspace: the default context only */ }
  const toolchains = [...workspace.matchAll(/\(toolchain\s+([\w.-]+)\s*\)/g)].map((m) => m[1]);
  const trees: string[] = [];
  const conf = await query("ocamlfind", ["printconf", "conf"], root);
  files.push(existing(conf, "findlib configuration"), `${conf}.d`);
  files.push(join(dirname(conf), "findlib.conf.d"));
  for (const toolchain of [undefined, ...toolchains]) {
    const select = toolchain === undefined ? [] : ["-toolchain", toolchain];
    const path = await query("ocamlfind", [...select, "printconf", "path"], root);
    for (const dir of path.split("\n").filter((d) => d !== "")) {
      if (lstatOrUndefined(dir)) trees.push(existing(dir, "findlib path"));
      else files.push(dir);
    }
    const stdlib = await query("ocamlfind", [...select, "ocamlc", "-where"], root);
    trees.push(existing(stdlib, "standard library"));
  }
  // A toolchain's configuration names its compilers by absolute path: those count too.
  for (const dir of [`${conf}.d`, join(dirname(conf), "findlib.conf.d")]) {
    const found: Entry[] = [];
    walk(dir, () => false, found);
    for (const { path } of found) {
      let text = "";
      try {
        text = Deno.readTextFileSync(path);
      } catch { /* a directory or unreadable: its stat is in the state */ }
      for (const m of text.matchAll(/"(\/[^"\s]*)"/g)) files.push(m[1].split(" ")[0]);
    }
  }
  // One walk per tree: a tree inside another is walked with it.
  const unique = [...new Set(trees)].sort();
  const outer = unique.filter((t) => !unique.some((o) => o !== t && t.startsWith(`${o}/`)));
  return { files: [...new Set(files)], trees: [...scope.extraTrees], libraries: outer };
}

/**
 * Whether the state after dune is one to record: what changed while dune ran is only what dune
 * writes, and everything else last changed long enough before dune started to trust its times.
 */
function steadyAndSettled(
  { root, buildDir }: StampScope,
  before: readonly Entry[],
  after: readonly Entry[],
  started: number,
): boolean {
  const was = new Map(before.map((e) => [e.path, e.line]));
  const now = new Set(after.map((e) => e.path));
  for (const e of after) {
    if (was.get(e.path) === e.line) {
      if (e.changed > started - RACY_MS) return false;
    } else if (!writtenByDune(root, buildDir, e.path)) return false;
  }
  return before.every((e) => now.has(e.path) || writtenByDune(root, buildDir, e.path));
}

function readStamp(path: string): Stamp | undefined {
  try {
    const s = JSON.parse(Deno.readTextFileSync(path)) as Stamp;
    const strings = (xs: unknown) => Array.isArray(xs) && xs.every((x) => typeof x === "string");
    const ok = s?.format === FORMAT && typeof s.key === "string" && typeof s.digest === "string" &&
      strings(s.skipped) && strings(s.paths) && s.paths.every(isAbsolute);
    return ok ? s : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a recorded stamp says dune has nothing to do for `scope`: returns the lines the
 * recording build printed for its skipped steps, or undefined when dune must run.
 */
export async function upToDate(
  scope: Omit<StampScope, "extraTrees">,
): Promise<readonly string[] | undefined> {
  const stamp = readStamp(stampPath(scope.root, scope.buildDir));
  if (!stamp || stamp.key !== scopeKey(scope)) return undefined;
  try {
    const state = [rootListing(scope.root), ...stamp.paths.map(entryOf)];
    return (await digestOf(state)) === stamp.digest ? stamp.skipped : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs dune (`run`) and records a stamp when it succeeds and nothing was in doubt. The old
 * stamp is replaced before dune starts, so a failed or interrupted build leaves none, and the
 * pending one's own time is the file system's "now" for the racy check.
 */
export async function runRecorded(
  scope: StampScope,
  skipped: readonly string[],
  run: () => Promise<void>,
): Promise<void> {
  const path = stampPath(scope.root, scope.buildDir);
  let before: Entry[] | undefined;
  let started = 0;
  let external: External | undefined;
  try {
    await replaceFile(path, "pending\n");
    started = Deno.lstatSync(path).mtime?.getTime() ?? 0;
    external = await externalOf(scope);
    before = stateOf(scope, external);
  } catch {
    // No _build/ yet (a first build) or a doubt: no stamp, and none left from before.
    await Deno.remove(path).catch(() => {});
    before = undefined;
  }
  await run();
  if (!before || !external || !started) return;
  try {
    if (!lstatOrUndefined(join(scope.root, "_build", "log"))) return;
    const after = stateOf(scope, external);
    if (!steadyAndSettled(scope, before, after, started)) return;
    const stamp: Stamp = {
      format: FORMAT,
      key: scopeKey(scope),
      paths: after.slice(1).map((e) => e.path),
      digest: await digestOf(after),
      skipped,
    };
    await replaceFile(path, JSON.stringify(stamp) + "\n");
  } catch { /* no stamp: the next build runs dune */ }
}

/** Removes a project's stamp, before a build that will not record one runs anything. */
export async function forgetStamp(root: string, buildDir: string): Promise<void> {
  await Deno.remove(stampPath(root, buildDir)).catch(() => {});
}
