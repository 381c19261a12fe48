/**
 * Relative paths inside the project, as they appear in generated dune files and opam install
 * lines: never absolute, never escaping the project through `..`, and made only of characters
 * that mean nothing to dune, opam or a shell (so they can be written unquoted).
 *
 * ```ts
 * import { checkProjectPath } from "unik/lib/validate/path.ts";
 * checkProjectPath("htdocs"); // undefined: fine
 * checkProjectPath("../../secret"); // "leaves the project (..)"
 * checkProjectPath("../htdocs", { up: 1 }); // undefined: one level up is still inside
 * ```
 * @module
 */

/** Options of {@link checkProjectPath}. */
export interface ProjectPathOptions {
  /**
   * How many `..` levels the path may climb and still be in the project: the depth of the
   * directory the path is relative to below the project root (0, the default: the root).
   */
  readonly up?: number;
  /** Whether `.` (the directory itself) is acceptable. Default true. */
  readonly allowDot?: boolean;
}

/**
 * The characters of a path segment: letters, digits, `.`, `_`, `-` and `+`. Everything else
 * (spaces, quotes, parentheses, `;`, `$`, `%`, backquotes, `\`, control characters,
 * non-ASCII) is special to dune, opam's `%{...}%`, make or a shell somewhere.
 */
const SEGMENT = /^[A-Za-z0-9._+-]+$/;

/**
 * Why `path` is not a safe relative path inside the project, or `undefined` when it is.
 * Segments are separated by `/`; a segment may not start with `-` (it would read as an
 * option of the tool it is passed to); `..` may climb at most `options.up` levels overall.
 */
export function checkProjectPath(
  path: string,
  options: ProjectPathOptions = {},
): string | undefined {
  if (path === "") return "is empty";
  if (path.startsWith("/")) return "is absolute: it must be relative to the project";
  if (path === "." && options.allowDot !== false) return undefined;
  const segments = path.split("/");
  let depth = options.up ?? 0;
  for (const [i, segment] of segments.entries()) {
    if (segment === "" && i === segments.length - 1 && i > 0) break; // a trailing slash
    if (segment === "") return "has an empty segment (//)";
    if (!SEGMENT.test(segment)) {
      return "may contain only letters, digits, '.', '_', '-', '+' and '/'";
    }
    if (segment.startsWith("-")) return `has a segment starting with '-' (${segment})`;
    if (segment === "..") {
      depth--;
      if (depth < 0) return "leaves the project (..)";
    } else if (segment !== ".") depth++;
  }
  return undefined;
}

/** Why `name` is not a plain file name (one safe segment, not `.`/`..`), or `undefined`. */
export function checkFileName(name: string): string | undefined {
  if (name === "") return "is empty";
  if (name.includes("/")) return "must be a file name, without '/'";
  if (name === "." || name === "..") return "must name a file";
  return checkProjectPath(name, { allowDot: false });
}
