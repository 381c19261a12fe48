/**
 * Grammars of the tools generated files feed: every field that reaches opam, dune, make or a
 * shell is checked against (or quoted for) its tool here. Pure functions only: a checker
 * returns why a value is refused (`undefined` when it is fine), a quoter returns the text to
 * write. {@link requireField} turns a refusal into an error naming the field.
 *
 * ```ts
 * import { checkProjectPath, classifyStanza } from "unik/lib/validate/mod.ts";
 * checkProjectPath("../../secret"); // "leaves the project (..)"
 * classifyStanza("(rule (targets x) (action (system \"id\")))").kind; // "host-command"
 * ```
 * @module
 */

export {
  classifyStanza,
  classifyStanzaIn,
  DuneSyntaxError,
  parseDune,
  parseStanzas,
  type Sexp,
  type StanzaClass,
} from "./dune.ts";
export { checkFileName, checkProjectPath, type ProjectPathOptions } from "./path.ts";
export {
  checkOpamPackageName,
  checkOpamRepositoryName,
  checkOpamRepositoryUrl,
  checkOpamUrl,
  checkOpamVersion,
  opamShellCommand,
  opamString,
} from "./opam.ts";
export { checkFindlibComponent, checkFindlibName } from "./findlib.ts";
export { shellCommand, shellQuote } from "./shell.ts";
export { makeRecipeCommand } from "./make.ts";
export { checkResourceName, checkUnikernelName } from "./names.ts";
export { checkNoControl, type ErrorKind, requireExtraRepos, requireField } from "./fields.ts";
