/**
 * Turning a grammar's refusal into the error unik reports: the field, the value as written
 * and why, as a configuration error (exit 3) unless told otherwise.
 *
 * ```ts
 * import { checkOpamVersion } from "unik/lib/validate/opam.ts";
 * import { requireField } from "unik/lib/validate/fields.ts";
 * requireField("package lwt: min", "1.0", checkOpamVersion); // fine, returns "1.0"
 * ```
 * @module
 */

import { type ErrorKind, UnikError } from "../errors.ts";
export type { ErrorKind };
import { checkOpamRepositoryName, checkOpamRepositoryUrl } from "./opam.ts";

/**
 * Returns `value` when `check` accepts it; else throws a {@link UnikError} of `kind` saying
 * `<field> <value> <reason>`, the value shown as a JSON string so that control characters and
 * quotes are visible.
 */
export function requireField(
  field: string,
  value: string,
  check: (value: string) => string | undefined,
  kind: ErrorKind = "config",
): string {
  if (typeof value !== "string") {
    throw new UnikError(kind, `${field} must be a string, not ${typeof value}`);
  }
  const why = check(value);
  if (why !== undefined) throw new UnikError(kind, `${field} ${JSON.stringify(value)} ${why}`);
  return value;
}

/** Why `s` holds a control character (newline, escape, NUL...), or `undefined`. */
export function checkNoControl(s: string): string | undefined {
  // deno-lint-ignore no-control-regex
  return /[\u0000-\u001f\u007f]/.test(s) ? "contains a control character" : undefined;
}

/**
 * Checks overlay repositories (`NAME:URL` pairs): each name an opam repository name, each URL
 * an opam URL that is also a plain shell word. `field` names where they came from
 * (`--extra-repos`, `MIRAGE_EXTRA_REPOS`).
 */
export function requireExtraRepos(
  repos: readonly (readonly [string, string])[],
  field = "extra repository",
  kind: ErrorKind = "config",
): void {
  for (const [name, url] of repos) {
    requireField(`${field}: name`, name, checkOpamRepositoryName, kind);
    requireField(`${field} ${name}: URL`, url, checkOpamRepositoryUrl, kind);
  }
}
