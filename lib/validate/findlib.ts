/**
 * findlib (ocamlfind) library names, as dune's `(libraries ...)` field lists them: dotted
 * paths of components made of letters, digits, `_`, `-` and `+` (`tcpip.ipv4`,
 * `mirage-runtime`, `ptime.clock.os`).
 *
 * ```ts
 * import { checkFindlibName } from "unik/lib/validate/findlib.ts";
 * checkFindlibName("tcpip.ipv4"); // undefined: fine
 * checkFindlibName("lwt) (action (system id"); // "is not a findlib library name: ..."
 * ```
 * @module
 */

const COMPONENT = /^[A-Za-z0-9_][A-Za-z0-9_+-]*$/;

/** Why `component` is not one component of a findlib name, or `undefined`. */
export function checkFindlibComponent(component: string): string | undefined {
  if (!COMPONENT.test(component)) {
    return "is not a findlib name component: use letters, digits, '_', '-' and '+', not starting with '-' or '+'";
  }
  return undefined;
}

/** Why `name` is not a findlib library name (components joined by `.`), or `undefined`. */
export function checkFindlibName(name: string): string | undefined {
  const bad = name.split(".").find((c) => checkFindlibComponent(c) !== undefined);
  if (bad !== undefined) {
    return "is not a findlib library name: dot-separated components of letters, digits, '_', '-' and '+'";
  }
  return undefined;
}
