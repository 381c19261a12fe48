/**
 * The argument checks of device constructors. config.ts runs without a type-check, so a
 * constructor called without its options object (`pafServer(tcp)`), without a required option,
 * or with a value of the wrong kind must say so itself, naming the constructor, the argument or
 * option and what it expects, at the user's call, before it reads anything from them. Every
 * standard plugin declares its signature with these helpers and calls {@link checkArgs} first.
 * @module
 */

import { configError, type SourcePos, type UnikError } from "../errors.ts";
import { orList } from "../or_list.ts";
import { argumentPosAt, argumentTextAt, propertyAt } from "./call_text.ts";
import { describeGiven, Impl } from "./impl.ts";
import { Key, Value } from "./key.ts";
import { callerOf, isUnikSource } from "./pos.ts";
import { RuntimeArg } from "./runtime_arg.ts";
import { sameTyp, showTyp, type Typ } from "./typ.ts";

/** What an argument or an option must be: a description for messages and a test. */
export interface Expect {
  /** `a device of type tcpv4v6`, `a string`, ... */
  readonly what: string;
  /** Whether `v` is one. */
  readonly test: (v: unknown) => boolean;
  /** What to say about a value that fails the test, when it says more than what it is. */
  readonly mismatch?: (v: unknown, given: string) => string | undefined;
}

/** A device of one of the module types `typs`. */
export function deviceOf(...typs: readonly Pick<Typ<unknown>, "shape">[]): Expect {
  const names = typs.map((t) => showTyp(t.shape));
  const what = `a device of type ${orList(names)}`;
  return {
    what,
    test: (v) => v instanceof Impl && typs.some((t) => sameTyp(t.shape, v.typ)),
    mismatch: (v, given) => v instanceof Impl ? `${given} has type ${showTyp(v.typ)}` : undefined,
  };
}

const kind = (what: string, test: (v: unknown) => boolean): Expect => ({ what, test });

/** A string. */
export const STRING: Expect = kind("a string", (v) => typeof v === "string");
/** A number. */
export const NUMBER: Expect = kind("a number", (v) => typeof v === "number");
/** A boolean. */
export const BOOLEAN: Expect = kind("a boolean", (v) => typeof v === "boolean");
/** A duration in nanoseconds: a number or a bigint. */
export const NANOSECONDS: Expect = kind(
  "a number of nanoseconds (a number or a bigint)",
  (v) => typeof v === "number" || typeof v === "bigint",
);
/** A list of strings. */
export const STRINGS: Expect = kind(
  "a list of strings",
  (v) => Array.isArray(v) && v.every((x) => typeof x === "string"),
);
/** A list of `[name, value]` string pairs. */
export const STRING_PAIRS: Expect = kind(
  "a list of [name, value] string pairs",
  (v) =>
    Array.isArray(v) &&
    v.every((p) => Array.isArray(p) && p.length === 2 && p.every((x) => typeof x === "string")),
);
/** A function. */
export const FUNCTION: Expect = kind("a function", (v) => typeof v === "function");
/** A runtime (boot-time) argument, made with `runtimeArg`. */
export const RUNTIME_ARG: Expect = kind(
  'a runtime argument (runtimeArg("Module.term"))',
  (v) => v instanceof RuntimeArg,
);
/** A configure-time key, made with `key`. */
export const KEY: Expect = kind("a configure-time key (key({ ... }))", (v) => v instanceof Key);
/** A configure-time value (`value(key)`, `Key.target`, `v.map(...)`). */
export const VALUE: Expect = kind(
  "a configure-time value (value(key), or Key.isUnix, ...)",
  (v) => v instanceof Value,
);

/** One of the given literal values. */
export function oneOf(...values: readonly (string | null)[]): Expect {
  const shown = values.map((v) => JSON.stringify(v));
  return kind(
    `one of ${shown.join(", ")}`,
    (v) => values.includes(v as string | null),
  );
}

/** An object whose fields are as `fields` says: each optional unless {@link required}. */
export function record(what: string, fields: Readonly<Record<string, Expect | Required>>): Expect {
  return kind(
    what,
    (v) =>
      typeof v === "object" && v !== null && !Array.isArray(v) &&
      Object.entries(fields).every(([k, f]) => {
        const x = (v as Record<string, unknown>)[k];
        return x === undefined ? !isRequired(f) : (isRequired(f) ? f.expect : f).test(x);
      }),
  );
}

/** Either `expect`, or null. */
export function orNull(expect: Expect): Expect {
  return kind(`${expect.what}, or null`, (v) => v === null || expect.test(v));
}

/** An option the constructor cannot do without, with an example for the hint. */
export interface Required {
  /** What it must be. */
  readonly expect: Expect;
  /** How to write it (`port: runtimeArg<number>("Unikernel.port")`). */
  readonly example: string;
}

/** Marks an option as required. */
export function required(expect: Expect, example: string): Required {
  return { expect, example };
}

/** An options object: each option optional unless {@link required}. */
export interface OptionsSpec {
  /** The options, by name. */
  readonly options: Readonly<Record<string, Expect | Required>>;
}

/** The options object of a constructor. */
export function optionsOf(fields: Readonly<Record<string, Expect | Required>>): OptionsSpec {
  return { options: fields };
}

/** A positional argument that may be left out. */
export interface Optional {
  /** What it must be when given. */
  readonly optional: Expect;
}

/** Marks a positional argument as optional. */
export function optional(expect: Expect): Optional {
  return { optional: expect };
}

/** One parameter of a constructor: its name in the signature and what it must be. */
export type Param = readonly [name: string, expect: Expect | Optional | OptionsSpec];

const OPTIONS: Expect = kind("an options object", () => false);

/** Why `v` (written `text`) is not what `expect` wants: `it is the number 8080`, `x has type y`. */
function mismatch(expect: Expect, v: unknown, text: string | undefined): string {
  const given = describeGiven(v, text);
  return expect.mismatch?.(v, given) ??
    (v instanceof Impl ? `${given} is a device` : `it is ${given}`);
}

function isRequired(f: Expect | Required): f is Required {
  return "example" in f;
}

/** The position and text of the user's call of `constructor`, when the user made it. */
function userSite(constructor: (...args: never[]) => unknown): SourcePos | undefined {
  const site = callerOf(constructor);
  return site && !isUnikSource(site.file) ? site : undefined;
}

/**
 * Checks the arguments `args` of a call of `constructor` against its parameters, in order,
 * before the constructor reads them: a missing argument, options object or required option,
 * an option it does not have, or a value of the wrong kind is a configuration error naming
 * the constructor and the argument or option, at the user's call (at the argument or
 * property itself when config.ts's text is known).
 */
export function checkArgs(
  constructor: (...args: never[]) => unknown,
  args: readonly unknown[],
  params: readonly Param[],
): void {
  const name = constructor.name;
  let site: SourcePos | undefined | null = null;
  const at = () => site === null ? (site = userSite(constructor)) : site;
  const fail = (message: string, pos: SourcePos | undefined, hint?: string): UnikError =>
    configError(message, { pos, hint });
  const signature = `${name}(${params.map(([p]) => p).join(", ")})`;
  for (const [i, [param, spec]] of params.entries()) {
    const v = args[i];
    const argPos = () => {
      const s = at();
      return s && argumentPosAt(s, i);
    };
    if ("options" in spec) {
      const fields = Object.entries(spec.options);
      const needed = fields.filter(([, f]) => isRequired(f)) as [string, Required][];
      if (v === undefined) {
        if (needed.length === 0) continue;
        const [first] = needed;
        throw fail(
          `${name} is missing its option ${first[0]} (${
            first[1].expect.what
          }): it has no options object`,
          at(),
          `write ${name}(${params.slice(0, i).map(([p]) => `${p}, `).join("")}{ ${
            needed.map(([, f]) => f.example).join(", ")
          } })`,
        );
      }
      if (typeof v !== "object" || v === null || Array.isArray(v) || v instanceof Impl) {
        throw fail(
          `${name}'s last argument must be its options object ({ ${
            fields.map(([f]) => f).join(", ")
          } }), but ${mismatch(OPTIONS, v, undefined)}`,
          argPos(),
        );
      }
      const record = v as Record<string, unknown>;
      const property = (option: string) => {
        const s = at();
        return s ? propertyAt(s, i, option) : undefined;
      };
      for (const option of Object.keys(record)) {
        if (!(option in spec.options)) {
          throw fail(
            `${name} has no option ${option} (its options are ${
              fields.map(([f]) => f).join(", ")
            })`,
            property(option)?.pos ?? argPos(),
          );
        }
      }
      for (const [option, field] of fields) {
        const x = record[option];
        const expect = isRequired(field) ? field.expect : field;
        if (x === undefined) {
          if (!isRequired(field)) continue;
          throw fail(
            `${name} is missing its option ${option} (${expect.what})`,
            argPos(),
            `write ${field.example} in the options of ${name}`,
          );
        }
        if (!expect.test(x)) {
          const p = property(option);
          throw fail(
            `${name}'s option ${option} must be ${expect.what}, but ${
              mismatch(expect, x, p?.text)
            }`,
            p?.pos ?? argPos(),
            isRequired(field) ? `write ${field.example}` : undefined,
          );
        }
      }
      continue;
    }
    const expect = "optional" in spec ? spec.optional : spec;
    if (v === undefined) {
      if ("optional" in spec) continue;
      throw fail(
        `${name} is missing its argument ${param} (${expect.what})`,
        at(),
        `${name} takes ${signature}`,
      );
    }
    if (!expect.test(v)) {
      const s = at();
      throw fail(
        `${name}'s argument ${param} must be ${expect.what}, but ${
          mismatch(expect, v, s && argumentTextAt(s, i))
        }`,
        argPos(),
        `${name} takes ${signature}`,
      );
    }
  }
}
