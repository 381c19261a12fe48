/**
 * How messages list alternatives (`'a', 'b' or 'c'`): one wording for the eDSL's argument
 * checks, the CLI's option values and its suggestions. Loaded on both sides of the sandbox, so
 * it imports nothing.
 * @module
 */

/** `a`, `a or b`, `a, b or c`: `items` as written, joined for a message. */
export function orList(items: readonly string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}
