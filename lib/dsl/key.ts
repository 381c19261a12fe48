/**
 * Configure-time keys and the values computed from them. A key becomes a `unik configure`
 * flag; a {@link Value} depends on a set of keys and is evaluated once their values are
 * known (command line, then saved context, then default).
 * @module
 */

import { configError } from "../errors.ts";

/** What a key parses from the command line. */
export type KeyKind = "string" | "int" | "bool" | "flag" | "enum" | "list";

/** Plain-data description of a key (crosses the worker boundary to build the CLI). */
export interface KeyDesc {
  /** Flag name without dashes. */
  readonly name: string;
  /** What the flag parses. */
  readonly kind: KeyKind;
  /** Help text. */
  readonly doc?: string;
  /** Help section. */
  readonly docs?: string;
  /** Metavariable in help. */
  readonly docv?: string;
  /** Environment variable giving a default (read by the CLI, never by config code). */
  readonly env?: string;
  /** One-letter alias without dash. */
  readonly short?: string;
  /** The allowed values of an enum key. */
  readonly values?: readonly string[];
  /** When true the key has no default and its value may be absent (OCaml's `required`). */
  readonly optional?: boolean;
  /** The default value (JSON). */
  readonly default?: KeyValue;
}

/** A key's value once parsed: what JSON can carry. */
export type KeyValue = string | number | boolean | readonly string[] | null;

/** Options of {@link key}, common to every kind. */
export interface KeyOptionsBase {
  /** Flag name without dashes (`"hello"` gives `--hello`). */
  readonly name: string;
  /** Help text. */
  readonly doc?: string;
  /** Help section (default: UNIKERNEL PARAMETERS). */
  readonly docs?: string;
  /** Metavariable shown in help. */
  readonly docv?: string;
  /** Environment variable that gives a default. */
  readonly env?: string;
  /** One-letter alias. */
  readonly short?: string;
}

/** A string key (`--name=STR`). */
export interface StringKeyOptions extends KeyOptionsBase {
  /** The kind. */
  readonly type?: "string";
  /** Default value. */
  readonly default: string;
}
/** A string key without default: its value is `undefined` unless given. */
export interface OptionalStringKeyOptions extends KeyOptionsBase {
  /** The kind. */
  readonly type: "string";
  /** Marks the key as having no default. */
  readonly optional: true;
}
/** An integer key. */
export interface IntKeyOptions extends KeyOptionsBase {
  /** The kind. */
  readonly type: "int";
  /** Default value. */
  readonly default: number;
}
/** A boolean key taking `true` or `false`. */
export interface BoolKeyOptions extends KeyOptionsBase {
  /** The kind. */
  readonly type: "bool";
  /** Default value. */
  readonly default: boolean;
}
/** A flag: false unless present. */
export interface FlagKeyOptions extends KeyOptionsBase {
  /** The kind. */
  readonly type: "flag";
}
/** An enumeration key. */
export interface EnumKeyOptions<V extends string> extends KeyOptionsBase {
  /** The kind. */
  readonly type: "enum";
  /** The allowed values. */
  readonly values: readonly V[];
  /** Default value, one of `values`. */
  readonly default: V;
}
/** An enumeration key without default: its value is `undefined` unless given. */
export interface OptionalEnumKeyOptions<V extends string> extends KeyOptionsBase {
  /** The kind. */
  readonly type: "enum";
  /** The allowed values. */
  readonly values: readonly V[];
  /** Marks the key as having no default. */
  readonly optional: true;
}
/** A repeatable key collecting strings (`--name=a --name=b` or `--name=a,b`). */
export interface ListKeyOptions extends KeyOptionsBase {
  /** The kind. */
  readonly type: "list";
  /** Default value. */
  readonly default?: readonly string[];
}

const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** A configure-time key whose value has type `T`. */
export class Key<T> {
  /** Its description. */
  readonly desc: KeyDesc;
  /** Phantom. */
  declare readonly _phantom?: T;

  /** Use {@link key} instead. */
  constructor(desc: KeyDesc) {
    if (desc.name === "") throw configError("a key name cannot be the empty string");
    if (!KEY_NAME.test(desc.name)) {
      throw configError(
        `invalid key name ${JSON.stringify(desc.name)}: use letters, digits, '-' and '_'`,
      );
    }
    if (desc.kind === "enum") {
      if (!desc.values || desc.values.length === 0) {
        throw configError(`enum key ${desc.name} has no values`);
      }
      if (!desc.optional && !desc.values.includes(desc.default as string)) {
        throw configError(
          `the default of key ${desc.name} (${JSON.stringify(desc.default)}) is not one of ${
            desc.values.join(", ")
          }`,
        );
      }
    }
    this.desc = desc;
  }

  /** The key's name. */
  get name(): string {
    return this.desc.name;
  }
}

/** Makes a configure-time key; it becomes a `unik configure --<name>` flag. */
/** A string key with no default: its value is `undefined` unless given. */
export function key(options: OptionalStringKeyOptions): Key<string | undefined>;
/** A string key. */
export function key(options: StringKeyOptions): Key<string>;
/** An integer key. */
export function key(options: IntKeyOptions): Key<number>;
/** A boolean key, or a flag (`--name` alone sets it). */
export function key(options: BoolKeyOptions | FlagKeyOptions): Key<boolean>;
/** A key taking one of the given values, or none. */
export function key<const V extends string>(options: OptionalEnumKeyOptions<V>): Key<V | undefined>;
/** A key taking one of the given values. */
export function key<const V extends string>(options: EnumKeyOptions<V>): Key<V>;
/** A key taking a comma-separated list. */
export function key(options: ListKeyOptions): Key<readonly string[]>;
export function key(
  options:
    | StringKeyOptions
    | OptionalStringKeyOptions
    | IntKeyOptions
    | BoolKeyOptions
    | FlagKeyOptions
    | EnumKeyOptions<string>
    | OptionalEnumKeyOptions<string>
    | ListKeyOptions,
): Key<unknown> {
  const base = {
    name: options.name,
    doc: options.doc,
    docs: options.docs,
    docv: options.docv,
    env: options.env,
    short: options.short,
  };
  switch (options.type) {
    case undefined:
    case "string":
      if ("optional" in options && options.optional) {
        return new Key({ ...base, kind: "string", optional: true, default: null });
      }
      return new Key({ ...base, kind: "string", default: (options as StringKeyOptions).default });
    case "int":
      if (!Number.isInteger(options.default)) {
        throw configError(`the default of int key ${options.name} is not an integer`);
      }
      return new Key({ ...base, kind: "int", default: options.default });
    case "bool":
      return new Key({ ...base, kind: "bool", default: options.default });
    case "flag":
      return new Key({ ...base, kind: "flag", default: false });
    case "enum":
      if ("optional" in options && options.optional) {
        return new Key({
          ...base,
          kind: "enum",
          values: options.values,
          optional: true,
          default: null,
        });
      }
      return new Key({
        ...base,
        kind: "enum",
        values: options.values,
        default: (options as EnumKeyOptions<string>).default,
      });
    case "list":
      return new Key({ ...base, kind: "list", default: options.default ?? [] });
  }
}

/** Reads key values: the resolved ones, or each key's default. */
export interface KeyContext {
  /** The value of a key. */
  get<T>(key: Key<T>): T;
  /** Whether the key was given (command line or saved context) rather than defaulted. */
  isSet(key: Key<unknown>): boolean;
}

/** A key context from a map of given values; absent keys take their defaults. */
export function keyContext(given: ReadonlyMap<string, KeyValue>): KeyContext {
  return {
    get<T>(k: Key<T>): T {
      const v = given.has(k.name) ? given.get(k.name) : k.desc.default;
      return (v === null ? undefined : v) as T;
    },
    isSet(k: Key<unknown>): boolean {
      return given.has(k.name);
    },
  };
}

/** A value computed at configure time from some keys. */
export class Value<T> {
  /** The keys the value depends on. */
  readonly keys: ReadonlySet<Key<unknown>>;
  readonly #eval: (ctx: KeyContext) => T;

  /** Use {@link value}, {@link Value.pure} or {@link Value.map} instead. */
  constructor(keys: Iterable<Key<unknown>>, evaluate: (ctx: KeyContext) => T) {
    this.keys = new Set(keys);
    this.#eval = evaluate;
  }

  /** The value in a context. */
  eval(ctx: KeyContext): T {
    return this.#eval(ctx);
  }

  /** A value that depends on no key. */
  static pure<T>(x: T): Value<T> {
    return new Value([], () => x);
  }

  /** A value computed from this one. */
  map<U>(f: (x: T) => U): Value<U> {
    return new Value(this.keys, (ctx) => f(this.#eval(ctx)));
  }

  /** A value computed from several. */
  static all<T extends readonly unknown[]>(
    values: { [K in keyof T]: Value<T[K]> },
  ): Value<T> {
    const keys = values.flatMap((v) => [...v.keys]);
    return new Value(keys, (ctx) => values.map((v) => v.eval(ctx)) as unknown as T);
  }

  /** Whether every key this value depends on is set in the context. */
  isDetermined(ctx: KeyContext): boolean {
    return [...this.keys].every((k) => ctx.isSet(k));
  }
}

/** The value of a key. */
export function value<T>(k: Key<T>): Value<T> {
  return new Value([k as Key<unknown>], (ctx) => ctx.get(k));
}

/** Parses a command-line string for a key; throws a usage-style message on a bad value. */
export function parseKeyValue(desc: KeyDesc, raw: string): KeyValue {
  const bad = (expected: string) =>
    new Error(`option '--${desc.name}': invalid value '${raw}', expected ${expected}`);
  switch (desc.kind) {
    case "string":
      return raw;
    case "int":
      if (!/^-?\d+$/.test(raw)) throw bad("an integer");
      return Number(raw);
    case "bool":
    case "flag":
      if (raw === "true") return true;
      if (raw === "false") return false;
      throw bad("either 'true' or 'false'");
    case "enum": {
      const values = desc.values ?? [];
      if (!values.includes(raw)) throw bad(oneOf(values));
      return raw;
    }
    case "list":
      return raw === "" ? [] : raw.split(",");
  }
}

/** "one of 'a', 'b' or 'c'" (cmdliner's wording). */
export function oneOf(values: readonly string[]): string {
  const quoted = values.map((v) => `'${v}'`);
  if (quoted.length === 1) return quoted[0];
  if (quoted.length === 2) return `either ${quoted[0]} or ${quoted[1]}`;
  return `one of ${quoted.slice(0, -1).join(", ")} or ${quoted[quoted.length - 1]}`;
}
