/**
 * Layout helpers shared by the dune generators and the targets: dune's compact list form and
 * stanza joining.
 * @module
 */

import { checkFindlibName, requireField } from "../validate/mod.ts";

/**
 * Lays out words the way dune's own formatter does for long lists: fill a line, then continue
 * on a new line indented by `indent + 1` spaces. The first line leaves room for `field`.
 */
export function compactList(field: string, words: readonly string[], indent = 2): string {
  const sep = "\n" + " ".repeat(indent);
  let all = "";
  let line = "";
  let firstWord = true;
  let firstLine = true;
  const flush = () => {
    all += line;
    line = sep;
    firstLine = false;
  };
  for (const word of words) {
    const max = firstLine ? 75 - indent - field.length : 75;
    if (word.length >= 40 || line.length + word.length >= max) flush();
    if (!firstWord) line += " ";
    firstWord = false;
    line += word;
  }
  flush();
  return all;
}

/**
 * The words of a `(libraries ...)` field, laid out by {@link compactList}, each checked to be
 * a findlib library name (the list holds package libraries and `localLibs` from devices).
 */
export function librariesField(libraries: readonly string[]): string {
  for (const l of libraries) requireField("library", l, checkFindlibName);
  return compactList("libraries", libraries);
}

/** Stanzas separated by one blank line, with a final newline. */
export function joinStanzas(stanzas: readonly string[]): string {
  return stanzas.map((s) => s.trim()).filter((s) => s !== "").join("\n\n") + "\n";
}

/** The dune rule copying the built `main.exe` to the artifact name in a context. */
export function renameRule(target: string, context: string, mainModule: string): string {
  return `(rule
 (target ${target})
 (enabled_if (= %{context_name} "${context}"))
 (deps ${mainModule}.exe)
 (action
  (copy ${mainModule}.exe %{target})))`;
}

/**
 * The compiler flags of the unikernel executable. Unlike mirage, never `-color always`: the
 * generated files must not depend on whether configure ran in a terminal.
 */
export const OCAML_FLAGS = ":standard -w -70";
