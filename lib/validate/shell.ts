/**
 * POSIX shell quoting: words that a `sh -c` string or a Makefile recipe passes on exactly as
 * written.
 *
 * ```ts
 * import { shellCommand, shellQuote } from "unik/lib/validate/shell.ts";
 * shellQuote("--name=web"); // "--name=web": nothing to quote
 * shellQuote("';touch victim;'"); // "''\\'';touch victim;'\\'''"
 * shellCommand(["unik", "configure", "--msg=$(id)"]); // "unik configure '--msg=$(id)'"
 * ```
 * @module
 */

/** Characters no POSIX shell treats specially anywhere in a word. */
const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * `word` as one shell word: unchanged when it holds only plain characters, else in single
 * quotes (inside which nothing is special), each `'` written as `'\''`.
 */
export function shellQuote(word: string): string {
  if (PLAIN_WORD.test(word)) return word;
  return `'${word.replace(/'/g, "'\\''")}'`;
}

/**
 * The words as one shell command line, each quoted. The first word is also quoted when it
 * holds `=`, so that the shell never reads it as a variable assignment.
 */
export function shellCommand(words: readonly string[]): string {
  const quote = (w: string, i: number) =>
    i === 0 && w.includes("=") && PLAIN_WORD.test(w) ? `'${w}'` : shellQuote(w);
  return words.map(quote).join(" ");
}
