/**
 * unik's own names: the unikernel's register name (it becomes the dune project name, the
 * artifact's file name, part of the opam file name and the opam synopsis).
 *
 * ```ts
 * import { checkUnikernelName } from "unik/lib/validate/names.ts";
 * checkUnikernelName("hello"); // undefined: fine
 * checkUnikernelName("x$(touch v)"); // "must be a letter then letters, digits, ..."
 * ```
 * @module
 */

/** Why `name` is not a unikernel name (a letter, then letters, digits, `_`, `.`, `-`), or `undefined`. */
export function checkUnikernelName(name: string): string | undefined {
  if (name === "") return "cannot be empty";
  if (!/^[A-Za-z][A-Za-z0-9_.-]*$/.test(name)) {
    return "must be a letter then letters, digits, '-', '_' or '.'";
  }
  return undefined;
}

/**
 * Why `name` is not a block or network device name unik accepts, or `undefined`. The names go
 * into the Solo5 manifest, Xen's `.xl` files (inside `'...'`) and tender command lines, so
 * they are plain words: letters, digits, `.`, `_`, `-`, `+`, `/`, `:`, not starting with `-`.
 */
export function checkResourceName(name: string): string | undefined {
  if (!/^[A-Za-z0-9._+/:][A-Za-z0-9._+/:-]*$/.test(name)) {
    return "must be letters, digits, '.', '_', '-', '+', '/' or ':', not starting with '-'";
  }
  return undefined;
}
