/**
 * Messages between unik and the sandboxed worker that evaluates config.ts. Everything that
 * crosses is plain data; device hooks (plugin code) run only inside the worker.
 * @module
 */

import type { ErrorData } from "../errors.ts";
import type { KeyDesc, KeyValue } from "../dsl/key.ts";
import type { Configured, ConfigureRequest } from "../configure.ts";

/** A plugin's verified module texts, handed to the worker (which may not fetch). */
export interface PluginBundle {
  /** The entry module's URL, as config.ts imports it. */
  readonly entry: string;
  /** Every module of its graph, by URL. */
  readonly sources: Readonly<Record<string, string>>;
}

/** Requests to the worker. */
export type Request =
  | {
    readonly type: "load";
    readonly configUrl: string;
    readonly projectRootUrl: string;
    readonly plugins: readonly PluginBundle[];
  }
  | { readonly type: "configure"; readonly request: ConfigureRequest }
  | {
    readonly type: "describe";
    readonly keys: Readonly<Record<string, KeyValue>>;
    readonly request: ConfigureRequest;
    readonly dot: boolean;
    readonly eval: boolean;
  };

/** What loading a config tells the CLI. */
export interface Loaded {
  /** Register name. */
  readonly name: string;
  /** Every key the config reads. */
  readonly keys: readonly KeyDesc[];
  /** Messages printed while evaluating (e.g. the unit-argument notice). */
  readonly notices: readonly string[];
}

/** What describe returns. */
export interface Described {
  /** The configured facts, when fully evaluated. */
  readonly configured?: Configured;
  /** The dot graph, when asked. */
  readonly dot?: string;
}

/** Replies from the worker. */
export type Reply =
  & (
    | { readonly ok: true; readonly value: unknown }
    | { readonly ok: false; readonly error: ErrorData }
  )
  & {
    /** The config has read the clock or random numbers so far. */
    readonly nondeterministic?: boolean;
    /** The config has called a file-reading function, or been refused a read, so far. */
    readonly readFiles?: boolean;
  };
