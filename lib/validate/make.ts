/**
 * Makefile recipes: a recipe line is a shell command that make expands first (`$` starts a
 * make variable or function, such as `$(shell ...)`) and ends at a newline.
 *
 * ```ts
 * import { makeRecipeCommand } from "unik/lib/validate/make.ts";
 * makeRecipeCommand(["unik", "clean"]); // "unik clean"
 * makeRecipeCommand(["/opt/my unik/bin/unik", "clean"]); // "'/opt/my unik/bin/unik' clean"
 * ```
 * @module
 */

import { shellCommand } from "./shell.ts";

/**
 * The words as one recipe command: shell-quoted, then every `$` doubled so that make hands the
 * shell a literal `$`.
 * @throws {RangeError} when a word holds a control character (a newline would end the recipe).
 */
export function makeRecipeCommand(words: readonly string[]): string {
  // deno-lint-ignore no-control-regex
  const bad = words.find((w) => /[\u0000-\u001f\u007f]/.test(w));
  if (bad !== undefined) {
    throw new RangeError(`control character in a Makefile command word: ${JSON.stringify(bad)}`);
  }
  return shellCommand(words).replace(/\$/g, "$$$$");
}
