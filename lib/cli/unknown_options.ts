/**
 * Finds the option of a command line that its command does not declare, so that unik can name
 * it and suggest the nearest declared one (cmd-ts only says "Unknown arguments"). Read from the
 * cmd-ts argument parsers themselves: each registers its long and short names.
 * @module
 */

import { usageError } from "../errors.ts";
import type { UnikError } from "../errors.ts";
import { didYouMean } from "./suggest.ts";

/** What a cmd-ts argument parser tells about itself (its `register`). */
interface Registers {
  register?(opts: {
    forceFlagLongNames: Set<string>;
    forceFlagShortNames: Set<string>;
    forceOptionLongNames: Set<string>;
    forceOptionShortNames: Set<string>;
  }): void;
}

/** The names a command declares: flags take no value, options take one. */
export interface Declared {
  /** Long flag names (without `--`). */
  readonly flags: ReadonlySet<string>;
  /** Long option names. */
  readonly options: ReadonlySet<string>;
  /** Short flag letters. */
  readonly shortFlags: ReadonlySet<string>;
  /** Short option letters. */
  readonly shortOptions: ReadonlySet<string>;
}

/** The names declared by a command's cmd-ts arguments (and cmd-ts's own `--help`, `-h`). */
export function declaredBy(args: Readonly<Record<string, unknown>>): Declared {
  const names = {
    forceFlagLongNames: new Set(["help"]),
    forceFlagShortNames: new Set(["h"]),
    forceOptionLongNames: new Set<string>(),
    forceOptionShortNames: new Set<string>(),
  };
  for (const arg of Object.values(args)) (arg as Registers).register?.(names);
  return {
    flags: names.forceFlagLongNames,
    options: names.forceOptionLongNames,
    shortFlags: names.forceFlagShortNames,
    shortOptions: names.forceOptionShortNames,
  };
}

/** The first option of `argv` (up to `--`) that `declared` does not know, as written. */
export function firstUnknownOption(
  argv: readonly string[],
  declared: Declared,
): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") return undefined;
    if (a.startsWith("--")) {
      const name = a.slice(2).split("=")[0];
      if (declared.options.has(name)) {
        if (!a.includes("=")) i++;
      } else if (!declared.flags.has(name)) return `--${name}`;
    } else if (a.startsWith("-") && a.length > 1) {
      for (let k = 1; k < a.length; k++) {
        const letter = a[k];
        if (declared.shortOptions.has(letter)) {
          if (k === a.length - 1) i++;
          break;
        }
        if (!declared.shortFlags.has(letter)) return `-${letter}`;
      }
    }
  }
  return undefined;
}

/**
 * The usage error for the first undeclared option of `argv`, with the nearest declared names
 * (`unknown option '--tagret', did you mean '--target'?`); undefined when every option is known.
 */
export function unknownOptionError(
  argv: readonly string[],
  declared: Declared,
  command: string,
): UnikError | undefined {
  const unknown = firstUnknownOption(argv, declared);
  if (unknown === undefined) return undefined;
  const long = unknown.startsWith("--");
  // One letter is near every other: only long names get suggestions.
  const suggestion = long
    ? didYouMean(unknown.slice(2), [...declared.flags, ...declared.options], (c) => `--${c}`)
    : "";
  return usageError(`unknown option '${unknown}'${suggestion}`, {
    hint: `'${command} --help' lists the options${command.includes("plugin") ? "" : " and keys"}`,
  });
}
