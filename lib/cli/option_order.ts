/**
 * The order in which a command line gives its options, for `x-mirage-configure`: mirage 4.9
 * records the user's configure arguments as they were typed, so unik records the options it
 * keeps (`-f`, `-o` and the keys) in the order the user gave them.
 * @module
 */

import { parseArgs } from "node:util";
import type { KeyDesc } from "../dsl/key.ts";

type OptionSpec = { type: "boolean" | "string"; short?: string; multiple?: boolean };

/** The option names of `-f` and `-o`, as configure records them. */
export const FILE_OPTION = "file";
/** See {@link FILE_OPTION}. */
export const OUTPUT_OPTION = "output";

/**
 * The names of the options `words` gives (`file`, `output` and key names), each once, in the
 * order of their first occurrence. Words of other options are skipped; a value given as the
 * next word is read as that option's value, never as an option of its own.
 */
export function optionOrder(words: readonly string[], keys: readonly KeyDesc[]): string[] {
  const options: Record<string, OptionSpec> = {
    [FILE_OPTION]: { type: "string", short: "f" },
    [OUTPUT_OPTION]: { type: "string", short: "o" },
    "context-file": { type: "string" },
    "extra-repos": { type: "string" },
    "allow-build": { type: "string", multiple: true },
  };
  for (const k of keys) {
    options[k.name] = {
      type: k.kind === "flag" ? "boolean" : "string",
      ...(k.short ? { short: k.short } : {}),
      ...(k.kind === "list" ? { multiple: true } : {}),
    };
  }
  const wanted = new Set([FILE_OPTION, OUTPUT_OPTION, ...keys.map((k) => k.name)]);
  const { tokens } = parseArgs({
    args: [...words],
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const order: string[] = [];
  for (const t of tokens ?? []) {
    if (t.kind === "option-terminator") break;
    if (t.kind === "option" && wanted.has(t.name) && !order.includes(t.name)) order.push(t.name);
  }
  return order;
}
