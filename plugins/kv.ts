/**
 * Key-value stores (`Mirage_kv.RO`, `Mirage_kv.RW`): a directory embedded at build time
 * (crunch), read from the host (Unix), or kept in memory.
 * @module
 */

import {
  apply,
  block,
  fn,
  type Impl,
  impl,
  type Info,
  Key,
  key,
  kvRo,
  kvRw,
  matchImpl,
  pkg,
  type RuntimeArg,
  runtimeArg,
  type Value,
  value,
} from "../lib/mod.ts";

/** The module crunch generates for `dir`: `Static_` and `dir` with non-alphanumerics as `_`. */
export function crunchModule(dir: string): string {
  return `Static_${dir.replace(/[^0-9A-Za-z]/g, "_").toLowerCase()}`;
}

/** The files of directory `dir` embedded in the unikernel by ocaml-crunch at build time. */
export function crunch(dir: string): Impl<"kv_ro"> {
  const module = crunchModule(checkedDirectory(crunch, dir));
  return impl(module, kvRo, {
    packages: [
      pkg("mirage-kv-mem", { min: "4.0.0", max: "5.0.0" }),
      pkg("crunch", { min: "4.0.0", max: "5.0.0", build: true }),
    ],
    connect: (_i, m) => `${m}.connect ()`,
    dune: (info) => [
      `(rule
 (targets ${module}.ml ${module}.mli)
 (deps (source_tree ${checkDir(`crunch(${JSON.stringify(dir)}): directory`, dir, info)}))
 (action
  (run ocaml-crunch -o ${module}.ml ${dir})))`,
    ],
  });
}

function unixDirectory(dir: string): Impl<"kv_ro"> {
  return impl("Mirage_kv_unix", kvRo, {
    packages: [pkg("mirage-kv-unix", { min: "2.1.0", max: "3.0.0" })],
    connect: (_i, m) => `${m}.connect ${JSON.stringify(dir)}`,
  });
}

/** `dir` read from the host on Unix (and Unikraft), crunched into the unikernel elsewhere. */
export function directKvRo(dir: string): Impl<"kv_ro"> {
  checkArgs(directKvRo, [dir], [["dir", STRING]]);
  return matchImpl(Key.family, { solo5: crunch(dir), xen: crunch(dir) }, unixDirectory(dir));
}

/** The kinds of store {@link genericKvRo} chooses from. */
export type KvRoKind = "crunch" | "direct";

/** The `--[group-]kv_ro=crunch|direct` configure key (default `crunch`). */
export function kvRoKey(group?: string): Key<KvRoKind> {
  return key({
    name: group ? `${group}-kv_ro` : "kv_ro",
    type: "enum",
    values: ["crunch", "direct"] as KvRoKind[],
    default: "crunch",
    doc: `Read-only store${
      group ? ` for ${group}` : ""
    }: crunch (embedded) or direct (from the host).`,
  });
}

/** Options of {@link genericKvRo}. */
export interface GenericKvRoOptions {
  /** Prefix of the key's flag. */
  readonly group?: string;
  /** The value choosing the store (default: the `kv_ro` key). */
  readonly key?: Value<KvRoKind>;
}

/** A read-only store of `dir`, crunched or read directly as a configure key says. */
export function genericKvRo(dir: string, options: GenericKvRoOptions = {}): Impl<"kv_ro"> {
  checkArgs(genericKvRo, [dir, options], [["dir", STRING], [
    "options",
    optionsOf({ group: STRING, key: VALUE }),
  ]]);
  const kind = options.key ?? value(kvRoKey(options.group));
  return matchImpl(kind, { crunch: crunch(dir), direct: directKvRo(dir) }, directKvRo(dir));
}

/** A read-write store in host directory `dir`. Unix only. */
export function directKvRw(dir: string): Impl<"kv_rw"> {
  checkArgs(directKvRw, [dir], [["dir", STRING]]);
  return impl("Mirage_kv_unix", kvRw, {
    packages: [pkg("mirage-kv-unix", { min: "2.1.0", max: "3.0.0" })],
    connect: (_i, m) => `${m}.connect ${JSON.stringify(dir)}`,
    targets: ["unix", "macosx"],
  });
}

/** An in-memory read-write store. */
export function kvRwMem(): Impl<"kv_rw"> {
  return impl("Mirage_kv_mem", kvRw, {
    packages: [pkg("mirage-kv-mem", { min: "3.0.0", max: "4.0.0" })],
    connect: (_i, m) => `${m}.connect ()`,
  });
}

const tarRo = impl("Tar_mirage.Make_KV_RO", fn(block, kvRo), {
  packages: [pkg("tar-mirage", { min: "1.0.0", max: "4.0.0" })],
  connect: (_i, m, [b]) => `${m}.connect ${b}`,
});

/** A read-only store in a tar archive on `device`. */
export function tarKvRo(device: Impl<"block">): Impl<"kv_ro"> {
  checkArgs(tarKvRo, [device], [["device", deviceOf(block)]]);
  return apply(tarRo, device);
}

const tarRw = impl("Tar_mirage.Make_KV_RW", fn(block, kvRw), {
  packages: [pkg("tar-mirage", { min: "2.2.0", max: "4.0.0" })],
  connect: (_i, m, [b]) => `${m}.connect ${b}`,
});

/** An append-only read-write store in a tar archive on `device`. */
export function tarKvRw(device: Impl<"block">): Impl<"kv_rw"> {
  checkArgs(tarKvRw, [device], [["device", deviceOf(block)]]);
  return apply(tarRw, device);
}

const fat = impl("Fat.KV_RO", fn(block, kvRo), {
  packages: [pkg("fat-filesystem", { min: "0.15.0", max: "0.16.0" })],
  connect: (_i, m, [b]) => `${m}.connect ${b}`,
});

/** A read-only store in a FAT file system on `device`. */
export function fatRo(device: Impl<"block">): Impl<"kv_ro"> {
  checkArgs(fatRo, [device], [["device", deviceOf(block)]]);
  return apply(fat, device);
}

/** Options of {@link chamelon}. */
export interface ChamelonOptions {
  /** The program block size, a boot argument. */
  readonly programBlockSize: RuntimeArg<number>;
}

/** A littlefs read-write store on `device` (formatted beforehand: `chamelon format img 512`). */
export function chamelon(device: Impl<"block">, options: ChamelonOptions): Impl<"kv_rw"> {
  checkArgs(chamelon, [device, options], [["device", deviceOf(block)], [
    "options",
    optionsOf({
      programBlockSize: required(
        RUNTIME_ARG,
        'programBlockSize: runtimeArg<number>("Unikernel.program_block_size")',
      ),
    }),
  ]]);
  const functor = impl("Kv.Make", fn(block, kvRw), {
    packages: [pkg("chamelon", { min: "0.0.8", sublibs: ["kv"] })],
    runtimeArgs: [options.programBlockSize],
    connect: (_i, m, [b, size]) =>
      [
        `${m}.connect ~program_block_size:${size} ${b}`,
        `>|= Result.map_error (Fmt.str "%a" ${m}.pp_error)`,
        ">|= Result.fold ~ok:Fun.id ~error:failwith",
      ].join("\n"),
  });
  return apply(functor, device);
}

/** `--disk-output`: where docteur writes its image (default `disk.img`). */
export const docteurOutputKey: Key<string> = key({
  name: "disk-output",
  default: "disk.img",
  doc: "The output of the generated docteur image.",
});

/** `--disk-name`: the docteur disk's block name on Solo5 and Xen (default `docteur`). */
export const docteurNameKey: Key<string> = key({
  name: "disk-name",
  default: "docteur",
  doc: "Name of the docteur disk (for Solo5 targets, alphanumeric characters only).",
});

/** Options of {@link docteur}. */
export interface DocteurOptions {
  /** Fast (index in memory) or light. Default `fast`. */
  readonly mode?: "fast" | "light";
  /** The key naming the disk on Solo5/Xen (default `--disk-name`). */
  readonly name?: Key<string>;
  /** The key naming the image file (default `--disk-output`). */
  readonly output?: Key<string>;
  /** The `--analyze` boot argument (default `Mirage_runtime.analyze`). */
  readonly analyze?: RuntimeArg<boolean>;
  /** The branch of the remote. */
  readonly branch?: string;
  /** Extra dependencies of the image rule. */
  readonly extraDeps?: readonly string[];
}

// Registered before network_args.ts's standard arguments, as mirage registers it (from its
// block.ml) before those of its runtime_arg.ml: this file's name sorts before that one's.
const analyzeArg = runtimeArg<boolean>("Mirage_runtime.analyze", {
  packages: [pkg("mirage-runtime")],
});

/**
 * A read-only store in a Git PACK image that docteur builds at build time from `remote` (a git
 * URL, `file://host/path` or `relativize://dir`).
 */
export function docteur(remote: string, options: DocteurOptions = {}): Impl<"kv_ro"> {
  checkArgs(docteur, [remote, options], [["remote", STRING], [
    "options",
    optionsOf({
      mode: oneOf("fast", "light"),
      name: KEY,
      output: KEY,
      analyze: RUNTIME_ARG,
      branch: STRING,
      extraDeps: STRINGS,
    }),
  ]]);
  const what = `docteur(${JSON.stringify(remote)})`;
  requireField(`${what}: remote`, remote, checkDocteurRemote);
  if (options.branch !== undefined) requireField(`${what}: branch`, options.branch, checkGitRef);
  for (const d of options.extraDeps ?? []) {
    requireField(`${what}: extraDeps`, d, checkDuneDependency);
  }
  const mode = options.mode === "light" ? "Light" : "Fast";
  const output = options.output ?? docteurOutputKey;
  const name = options.name ?? docteurNameKey;
  const analyze = options.analyze ?? analyzeArg;
  const source = /^(?:file|relativize):\/\/(.*)$/.exec(remote);
  const tree = source
    ? [`(source_tree ${remote.startsWith("file:") ? `/${source[1]}` : source[1]})`]
    : [];
  /** The image file: the --disk-output key's value, a file name in the build directory. */
  const image = (info: Info) =>
    requireField(`${what}: key --${output.name}`, info.get(output), checkFileName);
  /** The disk's name on Solo5/Xen: the --disk-name key's value. */
  const diskName = (info: Info) =>
    requireField(`${what}: key --${name.name}`, info.get(name), checkResourceName);
  const dune = (info: Info) => [
    `(rule
 (targets ${image(info)})
 (enabled_if (= %{context_name} "default"))
 (deps (:make %{bin:docteur.make})${
      [...(options.extraDeps ?? []), ...tree].map((d) => ` ${d}`).join("")
    })
 (action
  (run %{make} ${remote}${options.branch ? ` -b ${options.branch}` : ""} ${image(info)})))`,
  ];
  const connect = (disk: string) => (_i: Info, m: string, [a]: readonly string[]) =>
    [
      "let ( <.> ) f g = fun x -> f (g x) in",
      `let f = Rresult.R.(failwith_error_msg <.> reword_error (msgf "%a" ${m}.pp_error)) in`,
      `Lwt.map f (${m}.connect ~analyze:${a} ${JSON.stringify(disk)})`,
    ].join("\n");
  const unix = impl(`Docteur_unix.${mode}`, kvRo, {
    packages: [pkg("docteur-unix", { min: "0.0.6" })],
    keys: [output],
    runtimeArgs: [analyze],
    connect: (info, m, args) => connect(image(info))(info, m, args),
    configure: (info, io) => void io.registerBlock(image(info)),
    dune,
    install: (info) => ({ etc: [image(info)] }),
  });
  const solo5 = impl(`Docteur_solo5.${mode}`, kvRo, {
    packages: [pkg("docteur-solo5", { min: "0.0.6" })],
    keys: [output, name],
    runtimeArgs: [analyze],
    connect: (info, m, args) => connect(diskName(info))(info, m, args),
    configure: (info, io) => void io.registerBlock(diskName(info)),
    dune,
    install: (info) => ({ etc: [image(info)] }),
  });
  return matchImpl(Key.family, { solo5, xen: solo5 }, unix);
}

// The checks of the fields above come last, imports included: main.ml's `# line` directives
// cite the lines of the devices of this file, which must not move.
import {
  checkFileName,
  checkProjectPath,
  checkResourceName,
  parseStanzas,
  requireField,
} from "../lib/validate/mod.ts";

/** The directory argument of `constructor`, checked as a string, then as a project path. */
function checkedDirectory(constructor: (dir: string) => unknown, dir: string): string {
  checkArgs(constructor, [dir], [["dir", STRING]]);
  return checkDir(`${constructor.name}(${JSON.stringify(dir)}): directory`, dir);
}

/** How deep the build directory (where dune.build lives) is below the project root. */
function buildDepth(info: Info): number {
  return info.configFile.split("/").length - 1;
}

/**
 * Checks `dir` as a directory inside the project: its characters at once, and how far `..`
 * climbs once the build directory is known (`info`).
 */
function checkDir(what: string, dir: string, info?: Info): string {
  const up = info ? buildDepth(info) : Infinity;
  return requireField(what, dir, (d) => checkProjectPath(d, { up }));
}

/** A docteur remote: `relativize://DIR` in the project, `file://...`, or a git URL. */
function checkDocteurRemote(remote: string): string | undefined {
  const local = /^relativize:\/\/(.*)$/.exec(remote);
  if (local) return checkProjectPath(local[1], { up: Infinity });
  if (!/^(?:file|https?|git|ssh|git\+https|git\+ssh):\/\/[A-Za-z0-9._~:/@+-]+$/.test(remote)) {
    return "must be relativize://DIR, file://PATH or a git URL of plain characters";
  }
  return undefined;
}

/** A git branch or tag name made of plain characters. */
function checkGitRef(ref: string): string | undefined {
  return /^[A-Za-z0-9._/+][A-Za-z0-9._/+-]*$/.test(ref) ? undefined : "is not a plain git ref name";
}

/** One dependency of docteur's image rule: a project path or one dune dependency form. */
function checkDuneDependency(dep: string): string | undefined {
  if (!dep.startsWith("(")) return checkProjectPath(dep, { up: Infinity });
  try {
    return parseStanzas(dep).length === 1 ? undefined : "must be one dune dependency";
  } catch (e) {
    return `is not dune: ${(e as Error).message}`;
  }
}

// The argument checks are imported last: main.ml's `# line` directives cite the lines of
// this file's devices, which must not move.
import {
  checkArgs,
  deviceOf,
  KEY,
  oneOf,
  optionsOf,
  required,
  RUNTIME_ARG,
  STRING,
  STRINGS,
  VALUE,
} from "../lib/dsl/args.ts";
