/**
 * The messages that cross the sandbox boundary, as zod schemas: requests from unik to the
 * sandbox process, and everything that comes back. unik parses every message it receives with
 * these; anything that does not match is a sandbox failure, never an instruction. Text meant
 * for the terminal is stripped of control characters while it is parsed.
 * @module
 */

import { z } from "../deps/zod.ts";
import { stripControl } from "./sanitize.ts";
import type { ConfigureRequest } from "../configure.ts";
import type { KeyValue } from "../dsl/key.ts";

/** Text that may be shown to the user: control characters removed. */
const displayText = z.string().transform(stripControl);

const keyValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.string()), z.null()]);

/** A plugin's verified module texts, handed to the sandbox (which may not fetch). */
export const PluginBundleSchema = z.strictObject({
  /** The entry module's URL, as config.ts imports it. */
  entry: z.string(),
  /** Every module of its graph, by URL. */
  sources: z.record(z.string(), z.string()),
});

/** A plugin's verified module texts. */
export type PluginBundle = z.infer<typeof PluginBundleSchema>;

const ConfigureRequestSchema = z.strictObject({
  configFile: z.string(),
  projectRootUrl: z.string(),
  keys: z.record(z.string(), keyValue),
  output: z.string().optional(),
  argv: z.array(z.string()),
  extraRepos: z.array(z.tuple([z.string(), z.string()])),
  depext: z.boolean(),
  autoSrc: z.string().optional(),
  bridge: z.string().optional(),
  unikCommand: z.array(z.string()).optional(),
});

/** Requests from unik to the sandbox, one JSON line each on its standard input. */
export const RequestSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("load"),
    configUrl: z.string(),
    projectRootUrl: z.string(),
    plugins: z.array(PluginBundleSchema),
  }),
  z.strictObject({ type: z.literal("evaluate"), request: ConfigureRequestSchema }),
  z.strictObject({
    type: z.literal("describe"),
    keys: z.record(z.string(), keyValue),
    request: ConfigureRequestSchema,
    dot: z.boolean(),
    eval: z.boolean(),
  }),
]);

/** A request to the sandbox (what {@link RequestSchema} accepts). */
export type Request =
  | {
    readonly type: "load";
    readonly configUrl: string;
    readonly projectRootUrl: string;
    readonly plugins: readonly PluginBundle[];
  }
  | { readonly type: "evaluate"; readonly request: ConfigureRequest }
  | {
    readonly type: "describe";
    readonly keys: Readonly<Record<string, KeyValue>>;
    readonly request: ConfigureRequest;
    readonly dot: boolean;
    readonly eval: boolean;
  };

const KeyDescSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/),
  kind: z.enum(["string", "int", "bool", "flag", "enum", "list"]),
  doc: displayText.optional(),
  docs: displayText.optional(),
  docv: displayText.optional(),
  env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).optional(),
  short: z.string().regex(/^[A-Za-z0-9]$/).optional(),
  values: z.array(displayText).optional(),
  optional: z.boolean().optional(),
  default: keyValue.optional(),
});

/** What loading a config tells the CLI. */
export const LoadedSchema = z.strictObject({
  /** Register name. */
  name: z.string(),
  /** Every key the config reads. */
  keys: z.array(KeyDescSchema),
  /** Messages printed while evaluating (e.g. the unit-argument notice). */
  notices: z.array(displayText),
});

/** What loading a config tells the CLI. */
export type Loaded = z.output<typeof LoadedSchema>;

const contributor = displayText;

const BoundSchema = z.strictObject({ version: z.string().min(1), from: displayText });

const PackageSchema = z.strictObject({
  name: z.string(),
  scope: z.enum(["monorepo", "switch"]),
  build: z.boolean(),
  libs: z.array(z.string().min(1)),
  min: z.array(BoundSchema),
  max: z.array(BoundSchema),
  pin: z.strictObject({ url: z.string(), version: z.string(), from: displayText }).optional(),
  from: displayText,
});

const resourceName = z.string();

/** What evaluating a configuration yields (see lib/configure.ts `Evaluation`). */
export const EvaluationSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, "invalid register name"),
  src: z.string(),
  target: z.string(),
  mainMl: z.string(),
  hookFiles: z.array(
    z.strictObject({
      // Names, resources, stanzas and installs are checked against their grammars where the
      // files are generated (lib/configure.ts `checkEvaluation`, lib/codegen/).
      name: z.string(),
      contents: z.string(),
      from: contributor,
      definedIn: displayText.optional(),
    }),
  ),
  stanzas: z.array(
    z.union([
      z.strictObject({ kind: z.literal("target") }),
      z.strictObject({
        kind: z.literal("device"),
        text: z.string(),
        from: contributor,
        definedIn: displayText.optional(),
      }),
    ]),
  ),
  installs: z.array(z.strictObject({
    bin: z.array(z.tuple([z.string(), z.string()])),
    etc: z.array(z.string()),
    from: contributor,
    definedIn: displayText.optional(),
  })),
  packages: z.array(PackageSchema),
  libraries: z.array(z.string()),
  resources: z.strictObject({
    networks: z.array(resourceName),
    blocks: z.array(z.strictObject({ name: resourceName, number: z.number().int().min(1) })),
  }),
});

/** What describe returns: the evaluation when fully evaluated, the dot graph when asked. */
export const DescribedSchema = z.strictObject({
  evaluation: EvaluationSchema.optional(),
  dot: z.string().optional(),
});

const SourcePosSchema = z.strictObject({
  file: displayText,
  line: z.number().int(),
  column: z.number().int().optional(),
});

/** An error raised in the sandbox: only the classes evaluation can fail with. */
const ErrorDataSchema = z.strictObject({
  kind: z.enum(["config", "plugin", "usage"]),
  message: displayText,
  pos: SourcePosSchema.optional(),
  hint: displayText.optional(),
});

/** Messages from the sandbox's worker, relayed by the sandbox process. */
export const ReplySchema = z.discriminatedUnion("type", [
  /** Whose code runs now: a plugin's entry URL, or null for config.ts and unik. */
  z.strictObject({ type: z.literal("phase"), plugin: z.string().nullable() }),
  z.strictObject({
    type: z.literal("done"),
    value: z.unknown(),
    /** The config has read the clock or random numbers so far. */
    nondeterministic: z.boolean(),
    /** The config has called a file-reading function, or been refused a read, so far. */
    readFiles: z.boolean(),
  }),
  z.strictObject({
    type: z.literal("failed"),
    error: ErrorDataSchema,
    nondeterministic: z.boolean(),
    readFiles: z.boolean(),
  }),
  /** The worker died of an uncaught error (sent by the sandbox process, not the worker). */
  z.strictObject({ type: z.literal("crash"), message: displayText }),
]);

/** A message from the sandbox, once parsed. */
export type Reply = z.output<typeof ReplySchema>;
