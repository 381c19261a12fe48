/**
 * A parser for the OCaml that config.ml files are written in: top-level `open`, `type` and
 * `let` items, and expressions with OCaml's precedences (application, labelled arguments,
 * `@->`, `@@`, `$`, `|>`, lists, tuples, records, `let ... in`, `fun`, `function`, `match`,
 * `if`, local opens `M.(e)`). Modules, classes and other items are parsed only far enough to
 * be reported, with their position, by the translator.
 * @module
 */

import type { Arg, Binding, Case, Expr, Item, Param, Pattern, Pos, Program } from "./ast.ts";
import { lex, LexError, type Token } from "./lexer.ts";

/** A syntax error at a position. */
export class ParseError extends Error {
  /** Where. */
  readonly pos: Pos;
  /** Builds it. */
  constructor(message: string, pos: Pos) {
    super(message);
    this.pos = pos;
  }
}

/** Parses config.ml. Throws a {@link ParseError} with the position of the first error. */
export function parse(text: string): Program {
  let lexed;
  try {
    lexed = lex(text);
  } catch (e) {
    if (e instanceof LexError) throw new ParseError(e.message, e.pos);
    throw e;
  }
  const p = new Parser(lexed.tokens);
  return { items: p.program(), comments: lexed.comments };
}

/** Tokens that start a new top-level item. */
const ITEM_START = new Set([
  "let",
  "open",
  "type",
  "module",
  "exception",
  "include",
  "external",
  "class",
]);

/** Binary operators by precedence level (low to high), with associativity. */
function binaryLevel(t: Token): { level: number; right: boolean } | undefined {
  if (t.kind === "keyword") {
    if (t.text === "or") return { level: 1, right: true };
    if (["mod", "land", "lor", "lxor"].includes(t.text)) return { level: 7, right: false };
    if (["lsl", "lsr", "asr"].includes(t.text)) return { level: 8, right: true };
    return undefined;
  }
  if (t.kind === "punct") {
    if (t.text === "=") return { level: 3, right: false };
    if (t.text === "::") return { level: 5, right: true };
    return undefined;
  }
  if (t.kind !== "op") return undefined;
  const op = t.text;
  if (op === "||") return { level: 1, right: true };
  if (op === "&&" || op === "&") return { level: 2, right: true };
  if (op === ":=" || op === "<-") return undefined;
  if (op.startsWith("**")) return { level: 8, right: true };
  const c = op[0];
  if ("=<>|&$".includes(c) || op === "!=") return { level: 3, right: false };
  if (c === "@" || c === "^") return { level: 4, right: true };
  if (c === "+" || c === "-") return { level: 6, right: false };
  if (c === "*" || c === "/" || c === "%") return { level: 7, right: false };
  return undefined;
}

class Parser {
  #tokens: readonly Token[];
  #i = 0;

  constructor(tokens: readonly Token[]) {
    this.#tokens = tokens;
  }

  get #t(): Token {
    return this.#tokens[this.#i];
  }

  #atEnd(): boolean {
    return this.#t.kind === "eof";
  }

  #peek(n = 1): Token {
    return this.#tokens[Math.min(this.#i + n, this.#tokens.length - 1)];
  }

  #next(): Token {
    const t = this.#t;
    if (t.kind !== "eof") this.#i++;
    return t;
  }

  #is(text: string, t: Token = this.#t): boolean {
    return (t.kind === "punct" || t.kind === "keyword" || t.kind === "op") && t.text === text;
  }

  #eat(text: string): boolean {
    if (this.#is(text)) {
      this.#next();
      return true;
    }
    return false;
  }

  #expect(text: string, what?: string): Token {
    if (!this.#is(text)) throw this.#error(`expected ${what ?? `'${text}'`}`);
    return this.#next();
  }

  #error(message: string, t: Token = this.#t): ParseError {
    const found = t.kind === "eof" ? "the end of the file" : `'${t.text}'`;
    return new ParseError(`${message}, found ${found}`, t.pos);
  }

  #prevEnd(): Pos {
    return this.#tokens[Math.max(0, this.#i - 1)].end;
  }

  program(): Item[] {
    const items: Item[] = [];
    while (this.#t.kind !== "eof") {
      if (this.#eat(";;")) continue;
      items.push(this.#item());
    }
    return items;
  }

  #item(): Item {
    const t = this.#t;
    const pos = t.pos;
    if (this.#is("open")) {
      this.#next();
      this.#eat("!");
      const path = this.#modulePath();
      return { kind: "open", path, pos, end: this.#prevEnd() };
    }
    if (this.#is("let")) {
      this.#next();
      const rec = this.#eat("rec");
      const bindings = this.#bindings();
      if (this.#is("in")) {
        this.#next();
        const body = this.#seqExpr();
        return {
          kind: "expr",
          expr: { kind: "let", rec, bindings, body, pos },
          pos,
          end: this.#prevEnd(),
        };
      }
      return { kind: "let", rec, bindings, pos, end: this.#prevEnd() };
    }
    if (this.#is("type")) return this.#typeItem();
    if (t.kind === "keyword" && ITEM_START.has(t.text)) {
      this.#skipItem();
      const what = t.text === "module" ? "a module or functor definition" : `'${t.text}'`;
      return { kind: "unsupported", what, pos, end: this.#prevEnd() };
    }
    const expr = this.#seqExpr();
    return { kind: "expr", expr, pos, end: this.#prevEnd() };
  }

  /** Skips an item that is reported as a whole (modules, exceptions, ...). */
  #skipItem(): void {
    let depth = 0;
    this.#next();
    while (this.#t.kind !== "eof") {
      const t = this.#t;
      if (depth === 0 && (this.#is(";;") || (t.kind === "keyword" && ITEM_START.has(t.text)))) {
        if (!(t.text === "let" && this.#letIsLocal())) break;
      }
      if (["struct", "sig", "begin", "object", "(", "[", "{"].includes(t.text)) depth++;
      if (["end", ")", "]", "}"].includes(t.text) && depth > 0) depth--;
      this.#next();
    }
  }

  /** Whether the `let` at the cursor has a matching `in` before the next item (a local let). */
  #letIsLocal(): boolean {
    let depth = 0;
    for (let j = this.#i + 1; j < this.#tokens.length; j++) {
      const t = this.#tokens[j];
      if (t.kind === "eof") return false;
      if (t.kind === "keyword" && t.text === "let") depth++;
      if (t.kind === "keyword" && t.text === "in") {
        if (depth === 0) return true;
        depth--;
      }
      if (depth === 0 && t.kind === "keyword" && ITEM_START.has(t.text) && t.text !== "let") {
        return false;
      }
    }
    return false;
  }

  #typeItem(): Item {
    const pos = this.#t.pos;
    this.#next();
    this.#eat("nonrec");
    // Type parameters: 'a, ('a, 'b).
    while (this.#t.kind === "lident" && this.#t.text.startsWith("'")) this.#next();
    if (this.#is("(")) {
      while (!this.#is(")") && this.#t.kind !== "eof") this.#next();
      this.#expect(")");
    }
    if (this.#t.kind !== "lident") throw this.#error("expected a type name");
    const name = this.#next().text;
    const constructors: string[] = [];
    if (this.#eat("=")) {
      let depth = 0;
      let expectConstr = true;
      while (!this.#atEnd()) {
        const t = this.#t;
        if (depth === 0 && (this.#is(";;") || (t.kind === "keyword" && ITEM_START.has(t.text)))) {
          break;
        }
        if (depth === 0 && this.#is("and")) break;
        if (["(", "[", "{"].includes(t.text) && t.kind === "punct") depth++;
        if ([")", "]", "}"].includes(t.text) && t.kind === "punct") depth--;
        if (depth === 0 && this.#is("|")) expectConstr = true;
        else if (
          depth === 0 && expectConstr && t.kind === "uident" && !this.#is(".", this.#peek())
        ) {
          constructors.push(t.text);
          expectConstr = false;
        } else expectConstr = false;
        this.#next();
      }
    }
    if (this.#is("and")) {
      // `type a = A and b = B`: report as unsupported rather than guessing.
      this.#skipItem();
      return {
        kind: "unsupported",
        what: "mutually recursive type definitions",
        pos,
        end: this.#prevEnd(),
      };
    }
    return { kind: "type", name, constructors, pos, end: this.#prevEnd() };
  }

  #modulePath(): string[] {
    if (this.#t.kind !== "uident") throw this.#error("expected a module name");
    const path = [this.#next().text];
    while (this.#is(".") && this.#peek().kind === "uident") {
      this.#next();
      path.push(this.#next().text);
    }
    return path;
  }

  #bindings(): Binding[] {
    const out = [this.#binding()];
    while (this.#eat("and")) out.push(this.#binding());
    return out;
  }

  #binding(): Binding {
    const pos = this.#t.pos;
    let pat: Pattern;
    let params: Param[] = [];
    if (this.#t.kind === "lident" && this.#t.text !== "_") {
      const t = this.#next();
      pat = { kind: "var", name: t.text, pos: t.pos };
      params = this.#params(["=", ":"]);
    } else {
      pat = this.#simplePattern();
    }
    let type: string | undefined;
    if (this.#eat(":")) type = this.#skipType(["="]);
    this.#expect("=");
    const expr = this.#seqExpr();
    return { pat, params, type, expr, pos };
  }

  /** Function parameters up to one of `stops`. */
  #params(stops: readonly string[]): Param[] {
    const params: Param[] = [];
    while (!stops.some((s) => this.#is(s)) && this.#t.kind !== "eof") {
      const t = this.#t;
      if (t.kind === "label" || t.kind === "optlabel") {
        this.#next();
        const optional = t.kind === "optlabel";
        if (t.colon) {
          if (optional && this.#is("(")) {
            this.#next();
            const pat = this.#pattern();
            let def: Expr | undefined;
            if (this.#eat("=")) def = this.#seqExpr();
            this.#expect(")");
            params.push({
              kind: "labelled",
              label: t.text,
              optional,
              pat,
              default: def,
              pos: t.pos,
            });
          } else {
            params.push({
              kind: "labelled",
              label: t.text,
              optional,
              pat: this.#simplePattern(),
              pos: t.pos,
            });
          }
        } else {
          params.push({
            kind: "labelled",
            label: t.text,
            optional,
            pat: { kind: "var", name: t.text, pos: t.pos },
            pos: t.pos,
          });
        }
        continue;
      }
      if ((this.#is("?") || this.#is("~")) && this.#is("(", this.#peek())) {
        const optional = this.#is("?");
        const at = this.#next().pos;
        this.#next();
        if (this.#t.kind !== "lident") throw this.#error("expected a parameter name");
        const nameTok = this.#next();
        let pat: Pattern = { kind: "var", name: nameTok.text, pos: nameTok.pos };
        if (this.#eat(":")) pat = { kind: "annot", pat, type: this.#skipType(["=", ")"]), pos: at };
        let def: Expr | undefined;
        if (this.#eat("=")) def = this.#seqExpr();
        this.#expect(")");
        params.push({
          kind: "labelled",
          label: nameTok.text,
          optional,
          pat,
          default: def,
          pos: at,
        });
        continue;
      }
      params.push({ kind: "positional", pat: this.#simplePattern(), pos: t.pos });
    }
    return params;
  }

  /** Skips a type expression up to one of `stops` at depth 0; returns its text. */
  #skipType(stops: readonly string[]): string {
    const parts: string[] = [];
    let depth = 0;
    while (this.#t.kind !== "eof") {
      if (depth === 0 && stops.some((s) => this.#is(s))) break;
      const t = this.#t;
      if (t.kind === "punct" && ["(", "[", "{"].includes(t.text)) depth++;
      if (t.kind === "punct" && [")", "]", "}"].includes(t.text)) depth--;
      if (depth < 0) break;
      parts.push(t.kind === "variant" ? `\`${t.text}` : t.text);
      this.#next();
    }
    return parts.join(" ");
  }

  // ---- patterns ----

  #pattern(): Pattern {
    let p = this.#tuplePattern();
    while (this.#is("|")) {
      const pos = this.#next().pos;
      p = { kind: "or", left: p, right: this.#tuplePattern(), pos };
    }
    if (this.#is("as")) {
      const pos = this.#next().pos;
      if (this.#t.kind !== "lident") throw this.#error("expected a name after 'as'");
      p = { kind: "alias", pat: p, name: this.#next().text, pos };
    }
    return p;
  }

  #tuplePattern(): Pattern {
    const first = this.#consPattern();
    if (!this.#is(",")) return first;
    const items = [first];
    while (this.#eat(",")) items.push(this.#consPattern());
    return { kind: "tuple", items, pos: first.pos };
  }

  #consPattern(): Pattern {
    const head = this.#appPattern();
    if (this.#is("::")) {
      const pos = this.#next().pos;
      return { kind: "cons", head, tail: this.#consPattern(), pos };
    }
    return head;
  }

  #appPattern(): Pattern {
    const t = this.#t;
    if (t.kind === "uident") {
      const path = this.#qualifiedName();
      const name = path.join(".");
      if (this.#startsSimplePattern()) {
        return { kind: "constr", name, arg: this.#simplePattern(), pos: t.pos };
      }
      return { kind: "constr", name, pos: t.pos };
    }
    if (t.kind === "variant") {
      this.#next();
      if (this.#startsSimplePattern()) {
        return { kind: "variant", tag: t.text, arg: this.#simplePattern(), pos: t.pos };
      }
      return { kind: "variant", tag: t.text, pos: t.pos };
    }
    return this.#simplePattern();
  }

  #qualifiedName(): string[] {
    const path = [this.#next().text];
    while (this.#is(".") && this.#peek().kind === "uident") {
      this.#next();
      path.push(this.#next().text);
    }
    return path;
  }

  #startsSimplePattern(): boolean {
    const t = this.#t;
    return t.kind === "lident" || t.kind === "string" || t.kind === "int" ||
      t.kind === "char" || t.kind === "variant" || t.kind === "uident" ||
      this.#is("(") || this.#is("[") || this.#is("true") || this.#is("false");
  }

  #simplePattern(): Pattern {
    const t = this.#t;
    if (t.kind === "lident") {
      this.#next();
      return t.text === "_"
        ? { kind: "any", pos: t.pos }
        : { kind: "var", name: t.text, pos: t.pos };
    }
    if (t.kind === "string") {
      this.#next();
      return {
        kind: "const",
        value: { kind: "string", value: t.value!, quoted: !!t.quoted, pos: t.pos },
        pos: t.pos,
      };
    }
    if (t.kind === "int") {
      this.#next();
      return { kind: "const", value: { kind: "int", text: t.text, pos: t.pos }, pos: t.pos };
    }
    if (t.kind === "char") {
      this.#next();
      return { kind: "const", value: { kind: "char", value: t.value!, pos: t.pos }, pos: t.pos };
    }
    if (this.#is("true") || this.#is("false")) {
      this.#next();
      return {
        kind: "const",
        value: { kind: "bool", value: t.text === "true", pos: t.pos },
        pos: t.pos,
      };
    }
    if (t.kind === "uident" || t.kind === "variant") return this.#appPattern();
    if (this.#is("(")) {
      this.#next();
      if (this.#eat(")")) return { kind: "unit", pos: t.pos };
      const p = this.#pattern();
      if (this.#eat(":")) {
        const type = this.#skipType([")"]);
        this.#expect(")");
        return { kind: "annot", pat: p, type, pos: t.pos };
      }
      this.#expect(")");
      return p;
    }
    if (this.#is("[")) {
      this.#next();
      const items: Pattern[] = [];
      while (!this.#is("]")) {
        items.push(this.#consPattern());
        if (!this.#eat(";")) break;
      }
      this.#expect("]");
      return { kind: "list", items, pos: t.pos };
    }
    throw this.#error("expected a pattern");
  }

  // ---- expressions ----

  /** `e1; e2` sequences. */
  #seqExpr(): Expr {
    const first = this.#expr();
    if (this.#is(";") && this.#startsExpr(this.#peek())) {
      const pos = this.#next().pos;
      return { kind: "seq", first, second: this.#seqExpr(), pos };
    }
    return first;
  }

  #startsExpr(t: Token): boolean {
    if (t.kind === "eof") return false;
    if (t.kind === "keyword") {
      return ["let", "fun", "function", "match", "if", "true", "false", "assert", "begin", "try"]
        .includes(t.text);
    }
    if (t.kind === "punct") return ["(", "[", "{"].includes(t.text);
    return t.kind !== "op" || t.text === "-" || t.text === "!";
  }

  /** An expression without a top-level `;`. */
  #expr(): Expr {
    const t = this.#t;
    if (this.#is("let")) {
      this.#next();
      if (this.#is("open")) {
        this.#next();
        this.#eat("!");
        const path = this.#modulePath();
        this.#expect("in");
        return { kind: "letopen", path, body: this.#seqExpr(), pos: t.pos };
      }
      const rec = this.#eat("rec");
      const bindings = this.#bindings();
      this.#expect("in");
      return { kind: "let", rec, bindings, body: this.#seqExpr(), pos: t.pos };
    }
    if (this.#is("fun")) {
      this.#next();
      const params = this.#params(["->"]);
      if (params.length === 0) throw this.#error("expected a parameter after 'fun'");
      this.#expect("->");
      return { kind: "fun", params, body: this.#seqExpr(), pos: t.pos };
    }
    if (this.#is("function")) {
      this.#next();
      return { kind: "function", cases: this.#cases(), pos: t.pos };
    }
    if (this.#is("match")) {
      this.#next();
      const scrutinee = this.#seqExpr();
      this.#expect("with");
      return { kind: "match", scrutinee, cases: this.#cases(), pos: t.pos };
    }
    if (this.#is("try")) {
      this.#skipBalancedUntilItem();
      return { kind: "unsupported", what: "exception handling (try ... with)", pos: t.pos };
    }
    if (this.#is("while") || this.#is("for")) {
      this.#skipBalancedUntilItem();
      return { kind: "unsupported", what: `a '${t.text}' loop`, pos: t.pos };
    }
    return this.#tupleExpr();
  }

  /** Skips a construct that is reported as a whole, up to its `done`/next item. */
  #skipBalancedUntilItem(): void {
    let depth = 0;
    this.#next();
    while (this.#t.kind !== "eof") {
      const t = this.#t;
      if (depth === 0 && t.kind === "keyword" && ITEM_START.has(t.text) && t.text !== "let") break;
      if (depth === 0 && (this.#is(";;") || this.#is(")") || this.#is("]") || this.#is("in"))) {
        break;
      }
      if (["(", "[", "{", "begin", "do", "struct"].includes(t.text)) depth++;
      if ([")", "]", "}", "end", "done"].includes(t.text)) {
        depth--;
        if (depth === 0 && t.text === "done") {
          this.#next();
          break;
        }
      }
      this.#next();
    }
  }

  #cases(): Case[] {
    this.#eat("|");
    const cases: Case[] = [];
    for (;;) {
      const pat = this.#pattern();
      let guard: Expr | undefined;
      if (this.#eat("when")) guard = this.#seqExpr();
      this.#expect("->");
      const body = this.#seqExpr();
      cases.push({ pat, guard, body });
      if (!this.#eat("|")) return cases;
    }
  }

  #tupleExpr(): Expr {
    const first = this.#binary(0);
    if (!this.#is(",")) return first;
    const items = [first];
    while (this.#eat(",")) items.push(this.#binary(0));
    return { kind: "tuple", items, pos: first.pos };
  }

  #binary(minLevel: number): Expr {
    let left = this.#unary();
    for (;;) {
      const t = this.#t;
      const info = binaryLevel(t);
      if (!info || info.level < minLevel) return left;
      this.#next();
      if (
        this.#is("if") || this.#is("let") || this.#is("match") || this.#is("fun") ||
        this.#is("function")
      ) {
        // `f @@ fun x -> ...`, `x |> fun ...`: the right operand extends as far as it can.
        const right = this.#expr();
        left = { kind: "binop", op: t.text, left, right, pos: t.pos };
        continue;
      }
      const right = this.#binary(info.right ? info.level : info.level + 1);
      left = { kind: "binop", op: t.text, left, right, pos: t.pos };
    }
  }

  #unary(): Expr {
    const t = this.#t;
    if (t.kind === "op" && (t.text === "-" || t.text === "-.")) {
      this.#next();
      return { kind: "neg", expr: this.#unary(), pos: t.pos };
    }
    if (this.#is("if")) {
      this.#next();
      const cond = this.#seqExpr();
      this.#expect("then");
      const then = this.#expr();
      const otherwise = this.#eat("else") ? this.#expr() : undefined;
      return { kind: "if", cond, then, else: otherwise, pos: t.pos };
    }
    return this.#application();
  }

  #application(): Expr {
    const t = this.#t;
    if (this.#is("assert")) {
      this.#next();
      return { kind: "assert", expr: this.#atom(), pos: t.pos };
    }
    if (this.#is("lazy")) {
      this.#next();
      this.#atom();
      return { kind: "unsupported", what: "lazy values", pos: t.pos };
    }
    if (t.kind === "uident" && !this.#is(".", this.#peek())) {
      // A constructor, possibly applied to one argument.
      this.#next();
      if (this.#startsAtom()) {
        return { kind: "constr", path: [], name: t.text, arg: this.#atom(), pos: t.pos };
      }
      return { kind: "constr", path: [], name: t.text, pos: t.pos };
    }
    if (t.kind === "variant") {
      this.#next();
      if (this.#startsAtom()) {
        return { kind: "variant", tag: t.text, arg: this.#atom(), pos: t.pos };
      }
      return { kind: "variant", tag: t.text, pos: t.pos };
    }
    const head = this.#atom();
    if (head.kind === "constr" && head.arg === undefined && this.#startsAtom()) {
      // A qualified constructor applied to an argument: `Logs.Debug`, `M.C x`.
      return { ...head, arg: this.#atom() };
    }
    const args: Arg[] = [];
    while (this.#startsArg()) args.push(this.#arg());
    if (args.length === 0) return head;
    return { kind: "app", fn: head, args, pos: head.pos };
  }

  #startsAtom(): boolean {
    const t = this.#t;
    if (["lident", "uident", "string", "int", "float", "char", "variant"].includes(t.kind)) {
      return !(t.kind === "lident" && t.text.startsWith("'"));
    }
    if (t.kind === "keyword") return ["true", "false", "begin"].includes(t.text);
    if (t.kind === "op") return t.text === "!";
    return t.kind === "punct" && ["(", "[", "{"].includes(t.text);
  }

  #startsArg(): boolean {
    return this.#startsAtom() || this.#t.kind === "label" || this.#t.kind === "optlabel";
  }

  #arg(): Arg {
    const t = this.#t;
    if (t.kind === "label" || t.kind === "optlabel") {
      this.#next();
      const optional = t.kind === "optlabel";
      if (!t.colon) {
        return {
          label: t.text,
          optional,
          expr: { kind: "ident", path: [], name: t.text, pos: t.pos },
          pos: t.pos,
        };
      }
      return { label: t.text, optional, expr: this.#atom(), pos: t.pos };
    }
    return { optional: false, expr: this.#atom(), pos: t.pos };
  }

  /** Atoms: what may be an argument, with field access and qualified names. */
  #atom(): Expr {
    let e = this.#simpleAtom();
    while (this.#is(".") && this.#peek().kind === "lident") {
      this.#next();
      const name = this.#next();
      e = { kind: "field", expr: e, name: name.text, pos: name.pos };
    }
    return e;
  }

  #simpleAtom(): Expr {
    const t = this.#t;
    switch (t.kind) {
      case "lident":
        this.#next();
        if (t.text === "__POS__") return { kind: "curpos", pos: t.pos };
        return { kind: "ident", path: [], name: t.text, pos: t.pos };
      case "string":
        this.#next();
        return { kind: "string", value: t.value!, quoted: !!t.quoted, pos: t.pos };
      case "int":
        this.#next();
        return { kind: "int", text: t.text, pos: t.pos };
      case "float":
        this.#next();
        return { kind: "float", text: t.text, pos: t.pos };
      case "char":
        this.#next();
        return { kind: "char", value: t.value!, pos: t.pos };
      case "variant":
        this.#next();
        return { kind: "variant", tag: t.text, pos: t.pos };
      case "uident":
        return this.#qualified();
    }
    if (this.#is("true") || this.#is("false")) {
      this.#next();
      return { kind: "bool", value: t.text === "true", pos: t.pos };
    }
    if (this.#is("!")) {
      this.#next();
      this.#atom();
      return { kind: "unsupported", what: "references (!r)", pos: t.pos };
    }
    if (this.#is("begin")) {
      this.#next();
      if (this.#eat("end")) return { kind: "unit", pos: t.pos };
      const e = this.#seqExpr();
      this.#expect("end");
      return e;
    }
    if (this.#is("(")) return this.#parenthesised();
    if (this.#is("[")) {
      this.#next();
      if (this.#is("|")) throw this.#error("arrays are not supported; use a list");
      return { kind: "list", items: this.#listItems("]"), pos: t.pos };
    }
    if (this.#is("{")) return this.#record();
    throw this.#error("expected an expression");
  }

  #listItems(close: string): Expr[] {
    const items: Expr[] = [];
    while (!this.#is(close)) {
      items.push(this.#expr());
      if (!this.#eat(";")) break;
    }
    this.#expect(close, `';' or '${close}'`);
    return items;
  }

  #parenthesised(): Expr {
    const t = this.#next();
    if (this.#eat(")")) return { kind: "unit", pos: t.pos };
    if (this.#is("module")) {
      let depth = 1;
      while (depth > 0 && this.#t.kind !== "eof") {
        if (this.#is("(")) depth++;
        if (this.#is(")")) depth--;
        this.#next();
      }
      return { kind: "unsupported", what: "first-class modules", pos: t.pos };
    }
    const op = this.#t;
    if ((op.kind === "op" || this.#is("=") || this.#is("::")) && this.#is(")", this.#peek())) {
      // An operator used as a function: ( @@ ), ( $ ).
      this.#next();
      this.#next();
      return { kind: "ident", path: [], name: op.text, pos: op.pos };
    }
    const e = this.#seqExpr();
    if (this.#eat(":")) {
      const type = this.#skipType([")"]);
      this.#expect(")");
      return { kind: "annot", expr: e, type, pos: t.pos };
    }
    this.#expect(")");
    return e;
  }

  #record(): Expr {
    const t = this.#next();
    const fields: { name: string; value: Expr; pos: Pos }[] = [];
    while (!this.#is("}")) {
      if (this.#t.kind !== "lident" && this.#t.kind !== "uident") {
        throw this.#error("expected a record field");
      }
      const path = this.#t.kind === "uident" ? this.#qualifiedName() : [];
      if (path.length > 0) this.#expect(".");
      const name = this.#next();
      if (this.#is("with")) throw this.#error("record updates ({ r with ... }) are not supported");
      const value: Expr = this.#eat("=")
        ? this.#expr()
        : { kind: "ident", path: [], name: name.text, pos: name.pos };
      fields.push({ name: name.text, value, pos: name.pos });
      if (!this.#eat(";")) break;
    }
    this.#expect("}", "';' or '}'");
    return { kind: "record", fields, pos: t.pos };
  }

  /** `M.x`, `M.N.x`, `M.C`, `M.(e)`, `M.[...]`. */
  #qualified(): Expr {
    const first = this.#t;
    const path: string[] = [this.#next().text];
    for (;;) {
      if (!this.#is(".")) break;
      const n = this.#peek();
      if (n.kind === "uident") {
        this.#next();
        path.push(this.#next().text);
        continue;
      }
      if (n.kind === "lident") {
        this.#next();
        const name = this.#next();
        return { kind: "ident", path, name: name.text, pos: first.pos };
      }
      if (this.#is("(", n)) {
        this.#next();
        this.#next();
        const expr = this.#seqExpr();
        this.#expect(")");
        return { kind: "open", path, expr, pos: first.pos };
      }
      if (this.#is("[", n)) {
        this.#next();
        this.#next();
        const items = this.#listItems("]");
        return { kind: "open", path, expr: { kind: "list", items, pos: n.pos }, pos: first.pos };
      }
      break;
    }
    const name = path.pop()!;
    return { kind: "constr", path, name, pos: first.pos };
  }
}
