/**
 * Configure, purely: from a registration and key values to the generated files, in memory.
 * Nothing here touches the file system; writing is `write.ts`'s job.
 * @module
 */

import { configError, pluginError, UnikError } from "./errors.ts";
import type { ConfigureIO, Impl, Info } from "./dsl/impl.ts";
import { type Key, type KeyContext, keyContext, type KeyValue } from "./dsl/key.ts";
import type { Package } from "./dsl/package.ts";
import { Key as Predefined } from "./dsl/predefined.ts";
import type { Registration } from "./register.ts";
import type { Resources, Target, TargetInfo } from "./target.ts";
import { findTarget, TARGET_NAMES } from "../targets/mod.ts";
import { collectLibraries, collectPackages, collectRuntimeArgs } from "./graph/collect.ts";
import { opamify } from "./graph/naming.ts";
import {
  contributionOrder,
  type Graph,
  type GraphNode,
  resolveGraph,
  visitOrder,
} from "./graph/resolve.ts";
import { generateMainMl } from "./codegen/main_ml.ts";
import { checkInstall, checkPackage, generateOpam } from "./codegen/opam.ts";
import { generateMakefile } from "./codegen/makefile.ts";
import { mergeInstalls } from "./codegen/install.ts";
import {
  checkStanzaText,
  generateDistDune,
  generateDune,
  generateDuneBuild,
  generateDuneConfig,
  generateDuneProject,
  generateDuneWorkspace,
} from "./codegen/dune_files.ts";
import { withHeader } from "./codegen/header.ts";
import { UNIK_VERSION } from "./version.ts";
import { checkFileName, checkResourceName, requireField } from "./validate/mod.ts";

/** The default overlay repositories of mirage 4.9. */
export const DEFAULT_EXTRA_REPOS: readonly (readonly [string, string])[] = [
  ["opam-overlays", "https://github.com/dune-universe/opam-overlays.git"],
  ["mirage-overlays", "https://github.com/dune-universe/mirage-opam-overlays.git"],
];

/** What a configure run is asked for. */
export interface ConfigureRequest {
  /** The config file, relative to the project root (`config.ts`, `app/config.ts`). */
  readonly configFile: string;
  /** The project root (dune root) as a file URL with a trailing slash. */
  readonly projectRootUrl: string;
  /** Key values given on the command line or by the saved context (absent: default). */
  readonly keys: Readonly<Record<string, KeyValue>>;
  /** The `-o` value. */
  readonly output?: string;
  /** The arguments recorded as the configure command line (opam `x-mirage-configure`). */
  readonly argv: readonly string[];
  /** Overlay repositories. */
  readonly extraRepos: readonly (readonly [string, string])[];
  /** Whether the Makefile installs external dependencies. */
  readonly depext: boolean;
  /** The opam `url` when the registration asks for `"auto"` (found from git by the caller). */
  readonly autoSrc?: string;
  /** Stem of the build host's network bridges, for Xen's `.xl` (default `br`). */
  readonly bridge?: string;
  /** The words that run unik, for `make clean` and `x-mirage-configure` (default `unik`). */
  readonly unikCommand?: readonly string[];
}

/** One generated file. */
export interface GeneratedFile {
  /** Path relative to the project root. */
  readonly path: string;
  /** Contents, header included. */
  readonly contents: string;
}

/** The result of configuring: files and the facts `query`/`describe` print. */
export interface Configured {
  /** Register name. */
  readonly name: string;
  /** Target name. */
  readonly target: string;
  /** Every generated file, in write order. */
  readonly files: readonly GeneratedFile[];
  /** Files generated in `mirage/`, by name (what `query files` lists). */
  readonly mirageFiles: readonly string[];
  /** Merged packages, sorted. */
  readonly packages: readonly Package[];
  /** Libraries linked, sorted. */
  readonly libraries: readonly string[];
  /** The artifact, relative to the project root (`dist/hello`). */
  readonly artifact: string;
  /** The opam file, relative to the project root. */
  readonly opamFile: string;
  /** The opam name (`hello-unix`). */
  readonly opamName: string;
  /** Networks and blocks the graph registered. */
  readonly resources: Resources;
  /** Contents without headers, by query name. */
  readonly queries: Readonly<Record<string, string>>;
  /**
   * The evaluation the files were generated from (the sandbox's reply, checked): what the
   * build approval of third-party plugins (lib/plugins/build_gate.ts) takes parts out of.
   */
  readonly evaluation: Evaluation;
}

/** Directory part of a relative path, with trailing slash, or `""`. */
function dirOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i + 1);
}

/** Renders source positions: relative to the project, `unik/...` for unik's own files. */
export function fileShower(projectRootUrl: string): (url: string) => string {
  const unikRoot = new URL("../", import.meta.url).href;
  return (url) => {
    if (url.startsWith(projectRootUrl)) return decodeURIComponent(url.slice(projectRootUrl.length));
    if (url.startsWith(unikRoot)) return `unik/${decodeURIComponent(url.slice(unikRoot.length))}`;
    return url;
  };
}

/** The key context of a request, checking the target. */
export function requestContext(keys: Readonly<Record<string, KeyValue>>): KeyContext {
  const ctx = keyContext(new Map(Object.entries(keys)));
  const target = ctx.get(Predefined.target);
  if (!findTarget(target)) {
    throw new UnikError("usage", `unknown target '${target}'`, {
      hint: `valid targets: ${TARGET_NAMES.join(", ")}`,
    });
  }
  return ctx;
}

function checkTargets(graph: Graph, target: string): void {
  for (const node of graph.nodes) {
    const supported = node.device.options.targets;
    if (supported && !supported.includes(target)) {
      throw configError(
        `${node.device.describe()} does not support the target ${target}; it supports ${
          supported.join(", ")
        }`,
        { hint: "choose one of those targets, or another device for this one" },
      );
    }
  }
}

function makeInfo(
  registration: Registration,
  request: ConfigureRequest,
  ctx: KeyContext,
  target: string,
  blocks: ReadonlyMap<string, number>,
): Info {
  return {
    name: registration.name,
    output: request.output,
    target,
    mainModule: request.output ?? "main",
    configFile: request.configFile,
    get: <T>(key: Key<T>) => ctx.get(key),
    blockNumber: (name) => blocks.get(name),
  };
}

/** Runs the devices' configure hooks in graph order, collecting files and resources. */
function runConfigureHooks(order: readonly GraphNode[], info: Info, blocks: Map<string, number>) {
  const files = new Map<
    string,
    { name: string; contents: string; from: string; definedIn?: string }
  >();
  let current: GraphNode | undefined;
  const networks: string[] = [];
  const io: ConfigureIO = {
    writeFile: (name, contents) => {
      if (name.includes("/") || name === "" || name.startsWith(".")) {
        throw configError(`a device tried to write an invalid file name: ${JSON.stringify(name)}`);
      }
      // Checked here to name the device for an honest config; unik checks again outside the
      // sandbox (checkEvaluation), where a forged evaluation cannot skip it.
      requireField(`${current?.device.describe()}: generated file name`, name, checkFileName);
      files.set(name, {
        name,
        contents,
        from: current?.device.describe() ?? "",
        definedIn: current?.device.pos?.file,
      });
    },
    registerNetwork: (name) => {
      requireField(`${current?.device.describe()}: network name`, name, checkResourceName);
      networks.unshift(name);
    },
    registerBlock: (name) => {
      requireField(`${current?.device.describe()}: block device name`, name, checkResourceName);
      const n = blocks.get(name) ?? blocks.size + 1;
      blocks.set(name, n);
      return n;
    },
  };
  for (const node of order) {
    const hook = node.device.options.configure;
    if (!hook) continue;
    current = node;
    try {
      hook(info, io);
    } catch (e) {
      if (e instanceof UnikError) throw e;
      throw configError(`${node.device.describe()}: ${e instanceof Error ? e.message : e}`);
    }
  }
  const resources: Resources = {
    networks,
    blocks: [...blocks].map(([name, number]) => ({ name, number })),
  };
  return { files: [...files.values()], resources };
}

/** Who contributed a piece of a configuration: a device's description (module and place). */
export type Contributor = string;

/**
 * What evaluating a configuration yields: everything that needs plugin or config code to
 * compute, as plain data (the sandbox computes it; unik validates it and generates the files
 * from it with {@link generateConfiguration}).
 */
export interface Evaluation {
  /** Register name. */
  readonly name: string;
  /** The registration's opam `url` source (`"auto"`, `"none"` or a URL). */
  readonly src: string;
  /** Target name. */
  readonly target: string;
  /** The text of `mirage/main.ml` (the devices' connect code). */
  readonly mainMl: string;
  /** Files the devices' configure hooks generated in `mirage/`, in order. */
  readonly hookFiles: readonly {
    readonly name: string;
    readonly contents: string;
    readonly from: Contributor;
    /** The module the device is defined in, as the sandbox says. */
    readonly definedIn?: string;
  }[];
  /** The `dune.build` stanzas in graph order; `target` marks where the target's go. */
  readonly stanzas: readonly (
    | { readonly kind: "target" }
    | {
      readonly kind: "device";
      readonly text: string;
      readonly from: Contributor;
      readonly definedIn?: string;
    }
  )[];
  /** Files the devices install, in contribution order. */
  readonly installs: readonly {
    readonly bin: readonly (readonly [string, string])[];
    readonly etc: readonly string[];
    readonly from: Contributor;
    /** The module the device is defined in, as the sandbox says. */
    readonly definedIn?: string;
  }[];
  /** Merged packages, sorted. */
  readonly packages: readonly Package[];
  /** Libraries linked, sorted. */
  readonly libraries: readonly string[];
  /** Networks and blocks the graph registered. */
  readonly resources: Resources;
}

/** Evaluates the parts of a configuration that run device code: see {@link Evaluation}. */
export function evaluateConfiguration(
  registration: Registration,
  root: Impl<"job">,
  request: ConfigureRequest,
): Evaluation {
  const ctx = requestContext(request.keys);
  const targetName = ctx.get(Predefined.target);
  const target = findTarget(targetName) as Target;
  const graph = resolveGraph(root, ctx);
  checkTargets(graph, targetName);
  const blocks = new Map<string, number>();
  const info = makeInfo(registration, request, ctx, targetName, blocks);
  const packages = collectPackages(graph, ctx);
  const libraries = collectLibraries(graph, packages);
  const order = visitOrder(graph);
  const hooks = runConfigureHooks(order, info, blocks);
  const mirageDir = `${dirOf(request.configFile)}mirage`;
  const showFile = fileShower(request.projectRootUrl);
  const initNodes = registration.init.map((i) => graph.nodeOf(i)!).filter((n) => n);
  const mainMl = generateMainMl({
    order,
    initNodes,
    runtimeArgs: collectRuntimeArgs(graph, showFile),
    osModule: target.osModule,
    path: `${mirageDir}/${info.mainModule}.ml`,
    info,
    showFile,
  });
  type Stanza = Evaluation["stanzas"][number];
  const contributors = contributionOrder(graph);
  const stanzas = contributors.flatMap((node): Stanza[] =>
    node === graph.root ? [{ kind: "target" }] : (node.device.options.dune?.(info) ?? [])
      .map((text) => ({
        kind: "device",
        text,
        from: node.device.describe(),
        definedIn: node.device.pos?.file,
      }))
  );
  const installs: Evaluation["installs"][number][] = [];
  for (const node of contributors) {
    const extra = node.device.options.install?.(info);
    if (extra) {
      installs.push({
        bin: (extra.bin ?? []).map(([a, b]) => [a, b] as const),
        etc: [...(extra.etc ?? [])],
        from: node.device.describe(),
        definedIn: node.device.pos?.file,
      });
    }
  }
  return {
    name: registration.name,
    src: registration.src,
    target: targetName,
    mainMl,
    hookFiles: hooks.files,
    stanzas,
    installs,
    packages,
    libraries,
    resources: hooks.resources,
  };
}

/**
 * The third-party plugins loaded with an evaluation (those config.ts imports by URL, as unik
 * resolved them): who is at fault when the evaluation holds what unik refuses.
 */
export interface LoadedThirdParty {
  /** Its entry URL. */
  readonly entry: string;
  /** The URLs of its modules. */
  readonly modules: readonly string[];
}

/**
 * Who answers for an invalid field of an evaluation: a plugin fault (exit 4, naming the plugin)
 * or a configuration fault (exit 3).
 */
interface Fault {
  /** The error for a field the device defined in `definedIn` is said to have given. */
  claimed(e: unknown, definedIn: string | undefined): unknown;
  /**
   * The error for a field the sandbox checks already where config.ts or a plugin gives it: wrong
   * here, the reply was forged, by config.ts or by any plugin loaded with it.
   */
  forged(e: unknown): unknown;
}

function faultOf(plugins: readonly LoadedThirdParty[]): Fault {
  const tampered = "the plugin tampered with the configuration or is broken: do not use it, " +
    "or report it to its author";
  return {
    claimed(e, definedIn) {
      const plugin = definedIn === undefined
        ? undefined
        : plugins.find((p) => p.modules.includes(definedIn));
      if (!(e instanceof UnikError) || e.kind !== "config" || !plugin) return e;
      return pluginError(`plugin ${plugin.entry}: ${e.message}`, { hint: tampered, pos: e.pos });
    },
    forged: (e) => forgedReplyError(e, plugins),
  };
}

/**
 * What a configuration error `e` becomes when it shows that the sandbox's reply was forged
 * (it holds what the sandbox's own checks refuse, or is malformed): only code in the sandbox
 * can have sent it, so with third-party plugins loaded it is a plugin fault (exit 4) naming
 * them; without, config.ts's (exit 3, as it is).
 */
export function forgedReplyError(e: unknown, plugins: readonly LoadedThirdParty[]): unknown {
  if (!(e instanceof UnikError) || e.kind !== "config" || plugins.length === 0) return e;
  return pluginError(`the configuration's reply is forged: ${e.message}`, {
    hint: `a plugin loaded (or config.ts) interferes with unik's evaluation (${
      plugins.map((p) => p.entry).join(", ")
    }): do not use them, or report it to their authors`,
  });
}

/** Runs `check`, turning what it throws into the error `blame` makes of it. */
function checked(check: () => void, blame: (e: unknown) => unknown): void {
  try {
    check();
  } catch (e) {
    throw blame(e);
  }
}

/**
 * Checks the fields of an evaluation that name files, resources, packages and build rules
 * against their grammars (lib/validate/): an evaluation comes from the sandbox, where plugin
 * code ran, so it is checked here, where the files are generated, naming the device each field
 * comes from, and the plugin it is defined in when that is a third-party plugin (exit 4).
 */
function checkEvaluation(evaluation: Evaluation, fault: Fault): void {
  for (const { name, from, definedIn } of evaluation.hookFiles) {
    checked(() => {
      if (name.startsWith(".")) {
        throw configError(`${from}: generated file name ${JSON.stringify(name)} is hidden`);
      }
      requireField(`${from}: generated file name`, name, checkFileName);
    }, (e) => fault.forged(fault.claimed(e, definedIn)));
  }
  checked(() => {
    for (const name of evaluation.resources.networks) {
      requireField("network name", name, checkResourceName);
    }
    for (const { name } of evaluation.resources.blocks) {
      requireField("block device name", name, checkResourceName);
    }
    evaluation.packages.forEach(checkPackage);
  }, fault.forged);
  for (const s of evaluation.stanzas) {
    if (s.kind === "device") {
      checked(() => checkStanzaText(s.text, s.from), (e) => fault.claimed(e, s.definedIn));
    }
  }
  for (const { bin, etc, from, definedIn } of evaluation.installs) {
    checked(() => {
      try {
        checkInstall({ bin: bin.map(([a, b]) => [a, b]), etc: [...etc] });
      } catch (e) {
        throw e instanceof UnikError ? configError(`${from}: ${e.message}`) : e;
      }
    }, (e) => fault.claimed(e, definedIn));
  }
}

/** Options of {@link generateConfiguration}. */
export interface GenerateOptions {
  /** The third-party plugins loaded: an invalid field they gave is their fault (exit 4). */
  readonly plugins?: readonly LoadedThirdParty[];
}

/**
 * Generates every file of a configuration from its evaluation, purely: the Makefile, the opam
 * file, the dune files, the target's files. Only unik's own code runs here.
 */
export function generateConfiguration(
  evaluation: Evaluation,
  request: ConfigureRequest,
  options: GenerateOptions = {},
): Configured {
  const targetName = evaluation.target;
  const target = findTarget(targetName) as Target;
  const mainModule = request.output ?? "main";
  const buildDir = dirOf(request.configFile);
  const mirageDir = `${buildDir}mirage`;
  const publicName = request.output ?? evaluation.name;
  const projectName = request.output ?? `${evaluation.name}-${targetName}`;
  const opamName = opamify(projectName);
  if (opamName === "") throw configError(`cannot make an opam name out of ${projectName}`);
  const targetInfo: TargetInfo = {
    name: evaluation.name,
    publicName,
    mainModule,
    libraries: evaluation.libraries,
    bridge: request.bridge ?? "br",
  };

  checkEvaluation(evaluation, faultOf(options.plugins ?? []));
  const mirageFiles = new Map<string, string>([[`${mainModule}.ml`, evaluation.mainMl]]);
  for (const [n, c] of target.files(targetInfo, evaluation.resources)) mirageFiles.set(n, c);
  for (const { name, contents } of evaluation.hookFiles) mirageFiles.set(name, contents);

  const stanzas = evaluation.stanzas.flatMap((s) =>
    s.kind === "target" ? target.dune(targetInfo) : [s.text]
  );
  // The target's install is the root's contribution, which comes first.
  const install = mergeInstalls([target.install(targetInfo), ...evaluation.installs]);
  const src = evaluation.src === "auto"
    ? request.autoSrc
    : evaluation.src === "none"
    ? undefined
    : evaluation.src;
  const queries: Record<string, string> = {
    opam: generateOpam({
      name: evaluation.name,
      packages: evaluation.packages,
      install,
      lockPath: `${mirageDir}/${opamName}.opam.locked`,
      configureArgs: request.argv,
      extraRepos: request.extraRepos,
      src,
      command: request.unikCommand,
    }),
    Makefile: generateMakefile({
      buildDir: buildDir || "./",
      mirageDir: buildDir ? mirageDir : "./mirage",
      opamName,
      artifact: `${publicName}${target.extension}`,
      extraRepos: request.extraRepos,
      depext: request.depext,
      command: request.unikCommand,
    }),
    "dune.build": generateDuneBuild([...mirageFiles.keys()], stanzas),
    "dune.config": generateDuneConfig(),
    "dune-project": generateDuneProject(projectName),
    "dune-workspace": generateDuneWorkspace(target.workspaceContexts),
    "dune.dist": generateDistDune(install.bin.map(([, d]) => d), install.etc, target.context),
    "main.ml": evaluation.mainMl,
  };
  const files: GeneratedFile[] = [];
  const add = (path: string, contents: string) =>
    files.push({ path, contents: withHeader(path, contents, UNIK_VERSION) });
  add("Makefile", queries.Makefile);
  add(`${mirageDir}/${opamName}.opam`, queries.opam);
  for (const [n, c] of mirageFiles) add(`${mirageDir}/${n}`, c);
  add(`${buildDir}dune.build`, queries["dune.build"]);
  add(`${buildDir}dune.config`, queries["dune.config"]);
  add(`${buildDir}dune`, generateDune());
  add("dune-workspace", queries["dune-workspace"]);
  add("dune-project", queries["dune-project"]);
  add(`${buildDir}dist/dune`, queries["dune.dist"]);
  return {
    name: evaluation.name,
    target: targetName,
    files,
    mirageFiles: [...mirageFiles.keys()].sort(),
    packages: evaluation.packages,
    libraries: evaluation.libraries,
    artifact: `${buildDir}dist/${publicName}${target.extension}`,
    opamFile: `${mirageDir}/${opamName}.opam`,
    opamName,
    resources: evaluation.resources,
    queries,
    evaluation,
  };
}

/** Configures a registration in one step (evaluation and generation): every file, in memory. */
export function configure(
  registration: Registration,
  root: Impl<"job">,
  request: ConfigureRequest,
): Configured {
  return generateConfiguration(evaluateConfiguration(registration, root, request), request);
}
