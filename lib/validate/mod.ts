/**
 * Grammars of the tools generated files feed: every field that reaches opam, dune, make or a
 * shell is checked against (or quoted for) its tool here. Pure functions only: a checker
 * returns why a value is refused (`undefined` when it is fine), a quoter returns the text to
 * write. Callers turn refusals into errors naming the device and the field.
 *
 * ```ts
 * import { classifyStanza, checkProjectPath } from "unik/lib/validate/mod.ts";
 * checkProjectPath("../../secret"); // "leaves the project (..)"
 * classifyStanza("(rule (targets x) (action (system \"id\")))").kind; // "host-command"
 * ```
 * @module
 */

export { classifyStanza, DuneSyntaxError, parseDune, type Sexp, type StanzaClass } from "./dune.ts";
export { checkFileName, checkProjectPath, type ProjectPathOptions } from "./path.ts";
