/**
 * opam's grammars: package names, versions, the URLs opam fetches from (pins, `url`, overlay
 * repositories) and repository names, plus opam string quoting.
 *
 * ```ts
 * import { checkOpamPackageName, checkOpamVersion, opamString } from "unik/lib/validate/opam.ts";
 * checkOpamPackageName("mirage-runtime"); // undefined: fine
 * checkOpamVersion('1.0" {build}'); // "is not an opam version: use letters, digits, ..."
 * opamString('say "hi"'); // "\"say \\\"hi\\\"\""
 * ```
 * @module
 */

import { shellCommand } from "./shell.ts";

/** Why `name` is not an opam package name (`[A-Za-z0-9_+-]`, a letter somewhere), or `undefined`. */
export function checkOpamPackageName(name: string): string | undefined {
  if (!/^[A-Za-z0-9_+-]+$/.test(name)) {
    return "is not an opam package name: use letters, digits, '-', '_' and '+'";
  }
  if (!/[A-Za-z]/.test(name)) return "is not an opam package name: it needs a letter";
  return undefined;
}

/** Why `version` is not an opam version (`[A-Za-z0-9_+.~-]`, non-empty), or `undefined`. */
export function checkOpamVersion(version: string): string | undefined {
  if (!/^[A-Za-z0-9_+.~-]+$/.test(version)) {
    return "is not an opam version: use letters, digits, '.', '-', '_', '+' and '~'";
  }
  return undefined;
}

/**
 * The transports of opam URLs, alone (`https://...`) or behind a version-control system
 * (`git+https://...`); plus `git://`. These are the schemes opam's URL parser knows.
 */
const URL_SCHEME = /^(?:(?:git|hg|darcs)\+)?(?:https?|ssh|file|rsync|ftp):\/\/|^git:\/\//;

/** RFC 3986's URL characters (percent-encoding included), nothing else. */
const URL_CHARS = /^[A-Za-z0-9._~:/?#[\]@!$&'()*+,;=%-]+$/;

/**
 * Why `url` is not a URL opam can fetch (`pin-depends`, `url { src }`), or `undefined`: a
 * known scheme, then only URL characters, and no `%{` (opam's variable interpolation).
 */
export function checkOpamUrl(url: string): string | undefined {
  if (!URL_SCHEME.test(url)) {
    return "is not an opam URL: use http(s)://, ssh://, file://, rsync://, git:// or a VCS+transport such as git+https://";
  }
  if (!URL_CHARS.test(url)) return "contains characters that are not allowed in a URL";
  if (url.includes("%{")) return "contains %{, opam's variable syntax";
  return undefined;
}

/**
 * Why `name` is not an opam repository name unik accepts, or `undefined`. It also lands in
 * Makefile recipes (`opam repo add NAME URL`), so it is restricted to characters no shell or
 * make interprets, and may not start with `-`.
 */
export function checkOpamRepositoryName(name: string): string | undefined {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/.test(name)) {
    return "is not a repository name: use letters, digits, '.', '-', '_' and '+', not starting with '-' or '.'";
  }
  return undefined;
}

/**
 * Why `url` is not an overlay repository unik accepts, or `undefined`: an opam URL or a local
 * path (`/srv/overlay`) that is also a plain shell and make word (no `$`, quotes, `;`, `&`,
 * `|`, parentheses, globs, spaces, no leading `-`), since the Makefile passes it to
 * `opam repo add` unquoted.
 */
export function checkOpamRepositoryUrl(url: string): string | undefined {
  if (!/^[A-Za-z0-9._~:/@+=%#-]+$/.test(url)) {
    return "contains characters a shell would interpret ($, quotes, ;, &, |, parentheses, globs, spaces)";
  }
  if (url.startsWith("-")) return "may not start with '-' (opam would read an option)";
  return /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(url) ? checkOpamUrl(url) : undefined;
}

/**
 * `s` as an opam string literal: `"` and `\` escaped. Control characters have no place in
 * the fields unik writes, and are refused rather than escaped.
 * @throws {RangeError} when `s` holds a control character.
 */
export function opamString(s: string): string {
  // deno-lint-ignore no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(s)) {
    throw new RangeError(`control character in an opam string: ${JSON.stringify(s)}`);
  }
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * The words as a shell command inside an opam string (`"sh" "-exc" "<this>"`): each word
 * shell-quoted, `%{` split as `%''{` inside the quotes so that no opam variable appears, then
 * opam-quoted.
 * @throws {RangeError} when a word holds a control character.
 */
export function opamShellCommand(words: readonly string[]): string {
  // Plain (unquoted) words never hold `{`: every `%{` is inside single quotes.
  return opamString(shellCommand(words).replace(/%\{/g, "%''{"));
}
