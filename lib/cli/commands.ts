/**
 * The command line's options and dispatch, loaded while the sandboxed worker evaluates config.ts:
 * every command's flags (cmd-ts), the config's keys as flags, and what each command runs.
 * @module
 */

import { notice } from "./output.ts";
import {
  array,
  command,
  extendType,
  flag,
  multioption,
  option,
  optional,
  positional,
  restPositionals,
  runSafely,
  string,
  subcommands,
} from "../deps/cmd_ts.ts";
import { pathToFileURL } from "node:url";
import type { CliIO } from "./io.ts";
import { type ProjectPaths, projectPaths } from "./project.ts";
import { type KeyDesc, type KeyValue, parseKeyValue } from "../dsl/key.ts";
import { exitCodeOf, pluginError, UnikError, usageError } from "../errors.ts";
import type { ConfigSession } from "../sandbox/mod.ts";
import type { ProjectPlugins } from "../plugins/project.ts";
import type { ReplayRecorder } from "../replay.ts";
import { runConfigure } from "../commands/configure.ts";
import { QUERY_INFOS, resolveInfo, runQuery } from "../commands/query.ts";
import { runDescribe } from "../commands/describe.ts";
import { runClean } from "../commands/clean.ts";
import type { ConfigureRunner } from "../commands/migrate.ts";
import { UNIK_VERSION } from "../version.ts";
import { TARGETS } from "../../targets/mod.ts";
import { COMMANDS } from "./command_names.ts";
import { extractTenderOptions, TENDER_HELP } from "../toolchain/tender_options.ts";
import { isModuleName } from "../project_files.ts";
import { optionOrder } from "./option_order.ts";

/** Names unik's own options use; a key may not take them. */
const RESERVED = new Set([
  "file",
  "config-file",
  "context-file",
  "output",
  "dry-run",
  "extra-repos",
  "no-extra-repo",
  "depext",
  "no-depext",
  "dot",
  "eval",
  "no-eval",
  "verbose",
  "verbosity",
  "quiet",
  "color",
  "dot-command",
  "help",
  "version",
  "check",
  "frozen",
  "fresh",
  "offline",
  "no-offline",
  "duniverse",
  "force",
  "print",
  "mem",
  "allow-build",
]);

/** The help of `unik` itself: the commands and the targets. */
export function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    `unik ${UNIK_VERSION} - the MirageOS unikernel builder, for config.ts`,
    "",
    "Usage: unik <command> [options]",
    "",
    "Commands:",
    ...Object.entries(COMMANDS).map(([c, d]) => `  ${c.padEnd(width)}  ${d}`),
    "",
    `Targets: ${TARGETS.map((t) => t.name).join(", ")}`,
    "",
    "Run 'unik <command> --help' for a command's options, including the keys of ./config.ts.",
    "",
  ].join("\n");
}

function keyDescription(k: KeyDesc): string {
  const parts = [k.doc ?? ""];
  if (k.values) parts.push(`one of: ${k.values.join(", ")}.`);
  if (k.name === "target") parts.push("Default: $MODE, else unix (macosx on macOS).");
  else if (k.kind !== "flag" && k.default !== null && k.default !== undefined) {
    parts.push(`Default: ${Array.isArray(k.default) ? k.default.join(",") : k.default}.`);
  }
  return parts.filter((p) => p).join(" ");
}

function keyOption(k: KeyDesc) {
  const common = {
    long: k.name,
    description: keyDescription(k),
    ...(k.short ? { short: k.short } : {}),
  };
  if (k.kind === "flag") return flag(common);
  if (k.kind === "list") {
    return multioption({
      ...common,
      type: extendType(array(string), {
        from: (xs: string[]) => Promise.resolve(xs.flatMap((x) => parseKeyValue(k, x) as string[])),
      }),
    });
  }
  const type = extendType(string, {
    displayName: k.docv ?? k.kind.toUpperCase(),
    from: (s: string) => {
      try {
        return Promise.resolve(parseKeyValue(k, s));
      } catch (e) {
        return Promise.reject(new Error((e as Error).message));
      }
    },
  });
  return option({ ...common, type: optional(type) });
}

const staticOptions = {
  file: option({
    long: "file",
    short: "f",
    type: optional(string),
    description:
      "The configuration file (default config.ts). Its directory is the build directory.",
  }),
  contextFile: option({
    long: "context-file",
    type: optional(string),
    description: "The saved context to read key values from (default <build dir>/mirage/context).",
  }),
  output: option({
    long: "output",
    short: "o",
    type: optional(string),
    description:
      "Name of the output: main file, artifact and opam name (describe --dot: the dot file).",
  }),
};

const repoOptions = {
  extraRepos: option({
    long: "extra-repos",
    type: optional(string),
    description: "Overlay opam repositories NAME1:URL1,NAME2:URL2,... (env MIRAGE_EXTRA_REPOS).",
  }),
  noExtraRepo: flag({ long: "no-extra-repo", description: "Use no overlay repository." }),
  depext: flag({ long: "depext", description: "Install external dependencies (the default)." }),
  noDepext: flag({ long: "no-depext", description: "Do not install external dependencies." }),
};

const allowBuild = multioption({
  long: "allow-build",
  type: array(string),
  description: "NAME|URL[,...]: approve, for this run, the build contributions of third-party " +
    "plugins (see unik plugin allow).",
});

const frozen = flag({
  long: "frozen",
  description: "Refuse any change to unik.lock (a plugin imported by URL must be locked).",
});

type AnyArg = Parameters<typeof command>[0]["args"][string];

function commandArgs(name: string, keys: readonly KeyDesc[]): Record<string, AnyArg> {
  const keyArgs: Record<string, AnyArg> = Object.fromEntries(
    keys.map((k) => [`key:${k.name}`, keyOption(k)]),
  );
  const specific: Record<string, AnyArg> = name === "configure"
    ? {
      ...repoOptions,
      dryRun: flag({ long: "dry-run", description: "Print what would be written; write nothing." }),
      check: flag({ long: "check", description: "Type-check config.ts first (cached)." }),
      fresh: flag({
        long: "fresh",
        description: "Evaluate config.ts even when nothing it depends on has changed.",
      }),
      frozen,
      allowBuild,
    }
    : name === "query"
    ? {
      ...repoOptions,
      allowBuild,
      info: positional({
        type: optional(string),
        displayName: "INFO",
        description: `What to print: ${QUERY_INFOS.join(", ")} (default packages).`,
      }),
    }
    : name === "describe"
    ? {
      allowBuild,
      dot: flag({
        long: "dot",
        description: "Show the device graph (Graphviz dot) with the --dot-command, or write " +
          "it to -o FILE (-o - for standard output).",
      }),
      dotCommand: option({
        long: "dot-command",
        type: optional(
          extendType(string, { displayName: "COMMAND", from: (s: string) => Promise.resolve(s) }),
        ),
        description: "The program that shows the graph file, given as its last argument " +
          "(default xdot). A shell command line: 'xdot -f fdp' works.",
      }),
      eval: flag({ long: "eval", description: "Evaluate every configure-time choice." }),
      noEval: flag({ long: "no-eval", description: "Keep choices whose keys are not set." }),
    }
    : name === "build" || name === "run"
    ? {
      ...repoOptions,
      frozen,
      allowBuild,
      offline: flag({
        long: "offline",
        description: "Run no opam step: build from duniverse/ (remembered by later builds).",
      }),
      noOffline: flag({
        long: "no-offline",
        description: "Run the opam steps again: forget a remembered --offline and --duniverse.",
      }),
      duniverse: option({
        long: "duniverse",
        type: optional(string),
        description:
          "With --offline: a local directory of package sources to build from (remembered).",
      }),
      force: flag({
        long: "force",
        description: "Run dune even when nothing it depends on changed since it last built.",
      }),
      ...(name === "run"
        ? {
          print: flag({
            long: "print",
            description: "Print the command that starts the unikernel instead of starting it.",
          }),
          dryRun: flag({ long: "dry-run", description: "The same as --print." }),
        }
        : {}),
    }
    : name === "clean"
    ? { dryRun: flag({ long: "dry-run", description: "Print what would be removed." }) }
    : {};
  return { ...staticOptions, ...specific, ...keyArgs };
}

const COMMON_HELP = "Common options (every command): -v, --verbose (again for more: -vv), " +
  "-q, --quiet (errors only), --verbosity=quiet|error|warning|info|debug, " +
  "--color=auto|always|never.";

function buildCommand(name: string, args: Record<string, AnyArg>) {
  const description = name === "run" ? `${COMMANDS[name]}\n\n${TENDER_HELP}` : COMMANDS[name];
  return command({
    name: `unik ${name}`,
    description: `${description}\n\n${COMMON_HELP}`,
    args,
    handler: (parsed) => parsed,
  });
}

/**
 * The error for a command line cmd-ts refused: an undeclared option named with the nearest
 * declared ones, else undefined (cmd-ts's own message is shown).
 */
async function unknownOption(
  argv: readonly string[],
  args: Record<string, AnyArg>,
  command: string,
): Promise<UnikError | undefined> {
  const { declaredBy, unknownOptionError } = await import("./unknown_options.ts");
  return unknownOptionError(argv, declaredBy(args), command);
}

const PLUGIN_COMMANDS: Record<string, string> = {
  search: "List the plugins of the registries whose name or description matches TERM.",
  add: "Add NAME[@RANGE] from a registry: download it, check its hash and record it in unik.lock.",
  remove: "Remove plugins (NAME or URL) from unik.lock.",
  list: "List the plugins of unik.lock and whether they are cached.",
  verify: "Download the locked plugins again and check that they still match unik.lock.",
  update: "Move plugins to their newest registry version, or re-lock a plugin's new content.",
  allow: "Approve the build contributions of plugins (NAME or URL) for their exact content.",
  describe: "Show locked plugins (NAME or URL): integrity, modules, build approval, what waits.",
};

function pluginArgs(name: string): Record<string, AnyArg> {
  const registry = multioption({
    long: "registry",
    type: array(string),
    description: "A registry index URL or path, searched before the configured ones.",
  });
  const args: Record<string, AnyArg> = name === "search"
    ? { registry, term: positional({ type: optional(string), displayName: "TERM" }) }
    : name === "add"
    ? { registry, frozen, request: positional({ type: string, displayName: "NAME[@RANGE]" }) }
    : name === "list"
    ? {}
    : {
      names: restPositionals({ type: string, displayName: "NAME|URL" }),
      ...(name === "verify" || name === "describe" ? {} : { frozen }),
      ...(name === "update" ? { registry } : {}),
    };
  return args;
}

function pluginSubcommand(name: string) {
  return command({
    name: `unik plugin ${name}`,
    description: PLUGIN_COMMANDS[name],
    args: pluginArgs(name),
    handler: (parsed) => ({ name, ...parsed } as Parsed),
  });
}

/** Parses and runs `unik plugin SUBCOMMAND ...`; returns the exit code. */
export async function runPluginCommand(argv: string[], io: CliIO): Promise<number> {
  const cmd = subcommands({
    name: "unik plugin",
    description: COMMANDS.plugin,
    cmds: Object.fromEntries(Object.keys(PLUGIN_COMMANDS).map((n) => [n, pluginSubcommand(n)])),
  });
  const sub = argv[0];
  if (sub !== undefined && !sub.startsWith("-") && !(sub in PLUGIN_COMMANDS)) {
    const { didYouMean } = await import("./suggest.ts");
    throw usageError(
      `unknown plugin command '${sub}'${didYouMean(sub, Object.keys(PLUGIN_COMMANDS))}`,
      { hint: `plugin commands: ${Object.keys(PLUGIN_COMMANDS).join(", ")}` },
    );
  }
  const result = await runSafely(cmd, argv);
  if (result._tag === "error") {
    const unknown = sub !== undefined && sub in PLUGIN_COMMANDS &&
      result.error.config.exitCode !== 0 &&
      await unknownOption(argv.slice(1), pluginArgs(sub), `unik plugin ${sub}`);
    if (unknown) throw unknown;
    return reportParseError(result.error.config, io);
  }
  const args = (result.value as { value: Parsed }).value;
  const ctx = {
    root: io.cwd,
    io,
    registries: args.registry as string[] | undefined,
    frozen: args.frozen as boolean | undefined,
  };
  const names = (args.names as string[] | undefined) ?? [];
  const {
    pluginAdd,
    pluginAllow,
    pluginDescribe,
    pluginList,
    pluginRemove,
    pluginSearch,
    pluginUpdate,
    pluginVerify,
  } = await import("../commands/plugin.ts");
  switch (args.name) {
    case "search":
      await pluginSearch(ctx, args.term as string | undefined);
      return 0;
    case "add":
      await pluginAdd(ctx, args.request as string);
      return 0;
    case "remove": {
      const config = projectPaths(io.cwd, undefined, undefined).configPath;
      const text = await Deno.readTextFile(config).catch(() => undefined);
      await pluginRemove(
        ctx,
        names,
        text === undefined ? undefined : {
          text,
          url: pathToFileURL(config).href,
        },
      );
      return 0;
    }
    case "list":
      await pluginList(ctx);
      return 0;
    case "verify": {
      const failed = await pluginVerify(ctx, names);
      if (failed === 0) return 0;
      throw pluginError(`${failed} plugin(s) no longer match unik.lock`, {
        hint: "do not build with them; if the change is expected, run unik plugin update NAME",
      });
    }
    case "update":
      await pluginUpdate(ctx, names);
      return 0;
    case "allow":
      await pluginAllow(ctx, names);
      return 0;
    case "describe":
      await pluginDescribe(ctx, names);
      return 0;
  }
  throw usageError(`unknown plugin command ${args.name}`);
}

/** Parses and runs `unik migrate [config.ml] ...`; returns the exit code. */
export async function runMigrateCommand(
  argv: string[],
  io: CliIO,
  configure: ConfigureRunner,
): Promise<number> {
  const declared = {
    source: positional({ type: optional(string), displayName: "CONFIG.ML" }),
    stdout: flag({ long: "stdout", description: "Print config.ts instead of writing it." }),
    forcePartial: flag({
      long: "force-partial",
      description: "Write what could be translated; the rest fails configure until rewritten.",
    }),
    noConfigure: flag({
      long: "no-configure",
      description: "Do not configure the new config.ts after writing it.",
    }),
  };
  const cmd = command({
    name: "unik migrate",
    description: COMMANDS.migrate,
    args: declared,
    handler: (args) => args,
  });
  const result = await runSafely(cmd, argv);
  if (result._tag === "error") {
    const unknown = result.error.config.exitCode !== 0 &&
      await unknownOption(argv, declared, "unik migrate");
    if (unknown) throw unknown;
    return reportParseError(result.error.config, io);
  }
  const args = result.value;
  const { runMigrate } = await import("../commands/migrate.ts");
  return await runMigrate(
    {
      source: args.source,
      stdout: args.stdout,
      forcePartial: args.forcePartial,
      configure: !args.noConfigure,
    },
    io,
    configure,
  );
}

/** Parses and runs `unik init [DIR]`; returns the exit code. */
export async function runInitCommand(argv: string[], io: CliIO): Promise<number> {
  const declared = {
    dir: positional({
      type: optional(string),
      displayName: "DIR",
      description: "The project directory, created if needed (default: the current one).",
    }),
  };
  const cmd = command({
    name: "unik init",
    description: COMMANDS.init,
    args: declared,
    handler: (args) => args,
  });
  const result = await runSafely(cmd, argv);
  if (result._tag === "error") {
    const unknown = result.error.config.exitCode !== 0 &&
      await unknownOption(argv, declared, "unik init");
    if (unknown) throw unknown;
    return reportParseError(result.error.config, io);
  }
  const { runInit } = await import("../commands/init.ts");
  await runInit(result.value.dir, io);
  return 0;
}

/** Prints what cmd-ts said about a command line (help or an error); returns the exit code. */
function reportParseError(
  config: { message: string; exitCode: number; into: "stdout" | "stderr" },
  io: CliIO,
): number {
  const text = stripAnsi(config.message) + "\n";
  if (config.into === "stdout") io.out(text);
  else io.err(text);
  return config.exitCode === 0 ? 0 : exitCodeOf("usage");
}

function stripAnsi(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, "");
}

function checkKeyNames(keys: readonly KeyDesc[]): void {
  for (const k of keys) {
    if (RESERVED.has(k.name)) {
      throw new UnikError("config", `the key name ${k.name} is reserved by unik's own options`, {
        hint: "rename the key",
      });
    }
    if (k.short && ["f", "o", "v", "q", "h"].includes(k.short)) {
      throw new UnikError(
        "config",
        `the key ${k.name} uses the short flag -${k.short}, reserved by unik`,
      );
    }
  }
}

/** Parsed options, by name (cmd-ts results). */
export type Parsed = Record<string, unknown>;

function keyValues(parsed: Parsed, keys: readonly KeyDesc[]): Record<string, KeyValue> {
  const out: Record<string, KeyValue> = {};
  for (const k of keys) {
    const v = parsed[`key:${k.name}`];
    if (v === undefined || v === false && k.kind === "flag") continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[k.name] = v as KeyValue;
  }
  return out;
}

/** Parses a configuration command's options (with the config's keys) and runs it. */
export async function runConfigCommand(
  name: string,
  rest: string[],
  bootArgs: string[],
  paths: ProjectPaths,
  session: ConfigSession | undefined,
  plugins: ProjectPlugins | undefined,
  io: CliIO,
  recorder?: ReplayRecorder,
): Promise<number> {
  const keys = session?.loaded.keys ?? [];
  checkKeyNames(keys);
  // The tender's `--net:NAME=IFACE` forms are no options cmd-ts can declare: read them first.
  const tender = name === "run" && !rest.includes("--help")
    ? extractTenderOptions(rest)
    : undefined;
  const argv = tender?.rest ?? rest;
  const declared = commandArgs(name, keys);
  const result = await runSafely(buildCommand(name, declared), argv);
  if (result._tag === "error") {
    const unknown = result.error.config.exitCode !== 0 &&
      await unknownOption(argv, declared, `unik ${name}`);
    if (unknown) throw unknown;
    return reportParseError(result.error.config, io);
  }
  const args = result.value as Parsed;
  const output = args.output as string | undefined;
  // -o names mirage/<NAME>.ml and the artifact (except for describe --dot, a file to write).
  if (output !== undefined && !(name === "describe" && args.dot) && !isModuleName(output)) {
    throw usageError(`invalid output name '${output}': -o takes an OCaml module name`, {
      hint: "use letters, digits, _ and ', starting with a letter (it names mirage/NAME.ml)",
    });
  }
  const common = {
    keys: keyValues(args, keys),
    output,
    extraRepos: args.extraRepos as string | undefined,
    noExtraRepo: args.noExtraRepo as boolean | undefined,
    noDepext: args.noDepext as boolean | undefined,
    env: io.env,
    pluginLock: plugins &&
      { lock: plugins.lock, changed: plugins.lockChanged, plugins: plugins.plugins },
    allowBuild: args.allowBuild as string[] | undefined,
    recorder,
    unikCommand: io.unikCommand,
    optionOrder: optionOrder(tender?.rest ?? rest, keys),
  };
  switch (name) {
    case "configure":
      if (args.check) {
        const { typeCheck } = await import("../commands/check.ts");
        await typeCheck(paths.configPath, io.env);
      }
      await runConfigure(paths, session!, {
        ...common,
        dryRun: args.dryRun as boolean,
        fromDefaults: true,
      }, io);
      return 0;
    case "query":
      await runQuery(
        paths,
        session!,
        resolveInfo((args.info as string) ?? "packages"),
        common,
        io,
      );
      return 0;
    case "describe":
      await runDescribe(paths, session!, {
        ...common,
        output: undefined,
        dot: args.dot as boolean,
        dotOutput: args.dot ? args.output as string | undefined : undefined,
        dotCommand: args.dotCommand as string | undefined,
        eval: args.eval ? true : args.noEval ? false : undefined,
      }, io);
      return 0;
    case "build":
      await (await import("../commands/build.ts")).runBuild(paths, session!, {
        ...common,
        offline: args.offline as boolean,
        noOffline: args.noOffline as boolean,
        duniverse: args.duniverse as string | undefined,
        force: args.force as boolean,
      }, io);
      return 0;
    case "run":
      return await (await import("../commands/run.ts")).runRun(paths, session!, {
        ...common,
        offline: args.offline as boolean,
        noOffline: args.noOffline as boolean,
        duniverse: args.duniverse as string | undefined,
        force: args.force as boolean,
        tender: tender?.tender,
        print: (args.print || args.dryRun) as boolean,
        args: bootArgs,
      }, io);
    case "clean":
      await runClean(paths, io, args.dryRun as boolean);
      return 0;
    case "check": {
      const { typeCheck } = await import("../commands/check.ts");
      const how = await typeCheck(paths.configPath, io.env);
      notice(io, `config.ts type-checks (${how})\n`, "out");
      return 0;
    }
  }
  throw usageError(`unknown command ${name}`);
}
