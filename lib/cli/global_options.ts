/**
 * The options every command takes, as mirage's "COMMON OPTIONS": `-v`/`--verbose` (repeatable),
 * `-q`/`--quiet`, `--verbosity=LEVEL` and `--color=WHEN`. They are taken out of the command line
 * before anything else reads it, wherever they stand (before or after the command), up to a
 * `--` (what follows is the unikernel's).
 * @module
 */

import { usageError } from "../errors.ts";
import { orList } from "../or_list.ts";
import { type ColorWhen, DEBUG, NORMAL, QUIET, VERBOSE } from "./output.ts";

/** The common options of a command line, and the command line without them. */
export interface GlobalOptions {
  /** The arguments left for the command. */
  readonly argv: string[];
  /** See ./output.ts. */
  readonly verbosity: number;
  /** `--color`. */
  readonly color: ColorWhen;
  /** Whether the command line had any of them. */
  readonly present: boolean;
}

const LEVELS: Readonly<Record<string, number>> = {
  quiet: QUIET,
  error: QUIET,
  warning: NORMAL,
  info: VERBOSE,
  debug: DEBUG,
};

const COLORS: readonly ColorWhen[] = ["auto", "always", "never"];

function choice(option: string, value: string | undefined, allowed: readonly string[]): string {
  if (value !== undefined && allowed.includes(value)) return value;
  const list = orList(allowed.map((a) => `'${a}'`));
  throw usageError(
    value === undefined
      ? `option '${option}' needs a value: ${list}`
      : `option '${option}': invalid value '${value}', expected one of ${list}`,
  );
}

/** Takes the common options out of `argv` (a `-q` wins over any `-v`, as in mirage). */
export function extractGlobalOptions(argv: readonly string[]): GlobalOptions {
  const rest: string[] = [];
  let verbose = 0;
  let quiet = false;
  let level: number | undefined;
  let color: ColorWhen = "auto";
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") {
      rest.push(...argv.slice(i));
      break;
    }
    const [name, inline] = a.startsWith("--") && a.includes("=")
      ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)]
      : [a, undefined];
    const value = () => inline ?? argv[++i];
    if (a === "--verbose" || /^-v+$/.test(a)) verbose += a === "--verbose" ? 1 : a.length - 1;
    else if (a === "-q" || a === "--quiet") quiet = true;
    else if (name === "--verbosity") {
      level = LEVELS[choice("--verbosity", value(), Object.keys(LEVELS))];
    } else if (name === "--color") color = choice("--color", value(), COLORS) as ColorWhen;
    else rest.push(a);
  }
  const verbosity = quiet ? QUIET : Math.min(DEBUG, (level ?? NORMAL) + verbose);
  return { argv: rest, verbosity, color, present: rest.length !== argv.length };
}
