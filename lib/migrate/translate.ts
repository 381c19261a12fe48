/**
 * config.ml to config.ts: each top-level binding becomes a `const` (or a `function`) of the
 * same name in camelCase, each `Mirage` combinator its unik counterpart (imported from `unik`
 * or `unik/plugins/<family>.ts`), labelled arguments a trailing options object, `$` `apply`,
 * `@->` `fn`, and `let () = register ...` the default export. What has no translation (I/O,
 * `Sys`, modules, unknown combinators) is an error with its position; in partial mode it
 * becomes a call to `untranslated(...)`, which makes configure fail.
 * @module
 */

import type { Arg, Binding, Case, Expr, Item, Param, Pattern, Pos, Program } from "./ast.ts";
import type { TsBlock, TsExpr, TsImport, TsModule, TsParam, TsProp, TsStmt } from "./emit.ts";
import {
  commentLines,
  CommentQueue,
  hasBlankLine,
  versionComment,
  withComments,
} from "./comments.ts";
import { TARGET_TAGS } from "./keys.ts";
import {
  camel,
  KEY_MEMBERS,
  type LibName,
  libName,
  REMOVED_IN_4_9,
  specifier,
  TYPE_NAMES,
} from "./names.ts";
import { destructure, patternTest, patternVars, singleListCase } from "./patterns.ts";
import {
  arrow,
  type Ctx,
  type Info,
  RESERVED_TS,
  Scope,
  type Signature,
  Untranslatable,
  type V,
} from "./scope.ts";
import { append, fails, failure, special } from "./specials.ts";

/** An untranslatable construct: where, what, and what to do. */
export interface Diagnostic {
  /** Line, from 1. */
  readonly line: number;
  /** Column, from 1. */
  readonly col: number;
  /** What cannot be translated. */
  readonly message: string;
  /** What to do about it. */
  readonly hint?: string;
}

/** The result of a translation. */
export interface Translation {
  /** The config.ts module (complete when there are no errors). */
  readonly module: TsModule;
  /** What could not be translated. */
  readonly errors: readonly Diagnostic[];
}

/** Options of {@link translate}. */
export interface TranslateOptions {
  /** The config.ml name used in messages (`config.ml`). */
  readonly file: string;
}

/** The order of import declarations: unik, then the plugins from the link layer up. */
const IMPORT_ORDER = [
  "unik",
  "network",
  "ethernet",
  "arp",
  "ip",
  "udp",
  "tcp",
  "stack",
  "resolver",
  "happy_eyeballs",
  "dns",
  "mimic",
  "block",
  "kv",
  "conduit",
  "http",
  "git",
  "syslog",
  "monitoring",
  "qubesdb",
];

/** The `Mirage` eDSL version this translator knows. */
const SUPPORTED = "4.9.0";

/** Functions whose calls run code at configure time: I/O and the environment. */
const IO_MODULES = new Set([
  "Sys",
  "Unix",
  "Bos",
  "In_channel",
  "Out_channel",
  "Filename",
  "Lwt_unix",
]);
const IO_FUNCTIONS = new Set([
  "Printf.printf",
  "Printf.eprintf",
  "Printf.fprintf",
  "Format.printf",
  "Format.eprintf",
  "Fmt.pr",
  "Fmt.epr",
  "print_string",
  "print_endline",
  "print_newline",
  "prerr_string",
  "prerr_endline",
  "open_in",
  "open_out",
  "input_line",
  "read_line",
  "exit",
  "Logs.info",
  "Logs.warn",
  "Logs.err",
  "Logs.debug",
  "Logs.app",
  "Random.int",
  "Random.self_init",
]);

/** Translates a parsed config.ml. */
export function translate(program: Program, options: TranslateOptions): Translation {
  return new Translator(program, options).run();
}

class Translator implements Ctx {
  readonly #program: Program;
  readonly file: string;
  readonly #errors: Diagnostic[] = [];
  readonly #imports = new Map<string, Map<string, string | undefined>>();
  /** camelCase forms of every name the config binds: an import of one of them is aliased. */
  readonly #userNames = new Set<string>();
  /** TypeScript names taken at the top level. */
  readonly #globals = new Set<string>();
  /** Constructors of the config's own `type t = T` definitions, to their type name. */
  readonly constructors = new Map<string, string>();
  #partial = false;
  #registered = false;
  #hoisted: TsStmt[] = [];
  #opens: string[][] = [];

  constructor(program: Program, options: TranslateOptions) {
    this.#program = program;
    this.file = options.file;
  }

  run(): Translation {
    collectNames(this.#program, this.#userNames);
    const global = new Scope();
    const body: TsStmt[] = [];
    const comments = new CommentQueue(this.#program.comments);
    const header: string[] = [];
    const version = versionComment(this.#program.comments);
    if (version) {
      comments.drop(version.comment);
      if (!version.accepts(SUPPORTED)) {
        this.#errors.push({
          line: version.comment.pos.line,
          col: version.comment.pos.col,
          message:
            `this config.ml is for mirage ${version.range}, and unik implements the ${SUPPORTED} API`,
          hint:
            "port it to mirage 4.9 first (its changes are in mirage's CHANGES.md), then migrate",
        });
      }
    }
    let previousEnd: Pos | undefined;
    let pending: string[] = [];
    let pendingBlank = false;
    for (const item of this.#program.items) {
      const leading = comments.before(item.pos, previousEnd);
      const blank = previousEnd !== undefined &&
        hasBlankLine(this.#program, previousEnd, leading[0]?.pos ?? item.pos);
      const texts = leading.flatMap((c) => commentLines(c.text));
      const inner = comments.within(item.pos, item.end).flatMap((c) => commentLines(c.text));
      previousEnd = item.end;
      const stmts = this.#itemOrError(item, global);
      if (stmts.length === 0) {
        if (body.length === 0 && header.length === 0 && texts.length > 0) header.push(...texts);
        else pending.push(...texts, ...inner);
        pendingBlank ||= blank;
        continue;
      }
      const allComments = [...pending, ...texts, ...inner];
      stmts[0] = withComments(stmts[0], allComments, (blank || pendingBlank) && body.length > 0);
      pending = [];
      pendingBlank = false;
      body.push(...stmts);
    }
    const trailer = [...pending, ...comments.rest().flatMap((c) => commentLines(c.text))];
    if (!this.#registered) {
      const last = this.#program.items[this.#program.items.length - 1];
      this.#report(
        new Untranslatable(
          last?.pos ?? { line: 1, col: 1, offset: 0 },
          "config.ml registers no unikernel",
          'end it with let () = register "name" [ ... ]',
        ),
      );
    }
    if (this.#partial) {
      body.push({
        k: "function",
        name: "untranslated",
        params: [{ k: "name", name: "what: string" }],
        returnType: "never",
        body: {
          k: "block",
          body: [{
            k: "throw",
            value: {
              k: "new",
              callee: { k: "id", name: "Error" },
              args: [{
                k: "template",
                parts: [`not translated from ${this.file}: `, { k: "id", name: "what" }],
              }],
            },
          }],
        },
        comments: [
          `What unik migrate could not translate: configure fails here until it is rewritten.`,
        ],
        blankBefore: true,
      });
    }
    return {
      module: { header, imports: this.#importList(), body, trailer },
      errors: this.#errors,
    };
  }

  #importList(): TsImport[] {
    const rank = (from: string) => {
      const i = IMPORT_ORDER.indexOf(from);
      return i < 0 ? IMPORT_ORDER.length : i;
    };
    const order = [...this.#imports.keys()].sort((a, b) => rank(a) - rank(b));
    return order.map((from) => ({
      from: specifier(from),
      names: [...this.#imports.get(from)!].map(([name, alias]) => ({ name, alias })),
    }));
  }

  #report(e: Untranslatable): void {
    this.#errors.push({ line: e.pos.line, col: e.pos.col, message: e.message, hint: e.hint });
  }

  #itemOrError(item: Item, scope: Scope): TsStmt[] {
    this.#hoisted = [];
    const globals = new Set(this.#globals);
    try {
      const stmts = this.#item(item, scope);
      return [...this.#hoisted, ...stmts];
    } catch (e) {
      if (!(e instanceof Untranslatable)) throw e;
      this.#report(e);
      this.#partial = true;
      this.#globals.clear();
      for (const g of globals) this.#globals.add(g);
      return this.#placeholder(item, scope, e);
    }
  }

  /** In partial mode: what an untranslatable item becomes. */
  #placeholder(item: Item, scope: Scope, e: Untranslatable): TsStmt[] {
    const call: TsExpr = {
      k: "call",
      callee: { k: "id", name: "untranslated" },
      args: [{ k: "str", value: `${this.file}:${e.pos.line}:${e.pos.col}: ${e.message}` }],
    };
    if (item.kind === "let") {
      const names = item.bindings.flatMap((b) => patternVars(b.pat));
      if (names.length > 0) {
        return names.map((n) => {
          const ts = this.fresh(n, this.#globals);
          this.#globals.add(ts);
          scope.set(n, { k: "value", ts: { k: "id", name: ts }, info: {} });
          return { k: "const", name: ts, value: call };
        });
      }
      if (item.bindings.some((b) => containsRegister(b.expr))) {
        this.#registered = true;
        return [{ k: "export", value: call }];
      }
    }
    return [{ k: "expr", value: call }];
  }

  fail(pos: Pos, message: string, hint?: string): never {
    throw new Untranslatable(pos, message, hint);
  }

  /** A fresh TypeScript name for OCaml `name`, not in `taken`. */
  fresh(name: string, taken: ReadonlySet<string>): string {
    let base = camel(name);
    if (base === "" || base === "_") base = "_";
    if (RESERVED_TS.has(base)) base = `${base}_`;
    if (!taken.has(base) && !this.#isImportName(base)) return base;
    const sep = /[0-9]$/.test(base) ? "_" : "";
    for (let n = 2;; n++) {
      const candidate = `${base}${sep}${n}`;
      if (!taken.has(candidate) && !this.#isImportName(candidate)) return candidate;
    }
  }

  #isImportName(name: string): boolean {
    for (const names of this.#imports.values()) {
      for (const [n, alias] of names) if ((alias ?? n) === name) return true;
    }
    return false;
  }

  /** The local name of an import, adding it. Names the config binds itself are aliased. */
  use(lib: LibName): TsExpr {
    let names = this.#imports.get(lib.from);
    if (!names) this.#imports.set(lib.from, names = new Map());
    if (!names.has(lib.name)) {
      let alias: string | undefined;
      if (this.#userNames.has(lib.name)) {
        const cap = lib.name[0].toUpperCase() + lib.name.slice(1);
        alias = TYPE_NAMES.has(lib.name) ? `${lib.name}Type` : `unik${cap}`;
      }
      names.set(lib.name, alias);
    }
    return { k: "id", name: names.get(lib.name) ?? lib.name };
  }

  unik(name: string): TsExpr {
    return this.use({ name, from: "unik" });
  }

  // ---- items ----

  #item(item: Item, scope: Scope): TsStmt[] {
    switch (item.kind) {
      case "open":
        if (item.path.join(".") !== "Mirage") {
          this.fail(item.pos, `open ${item.path.join(".")}: only open Mirage is understood`);
        }
        return [];
      case "type":
        if (item.constructors.length !== 1) {
          this.fail(
            item.pos,
            `type ${item.name}: only device types of the form type ${item.name} = ${
              item.name[0].toUpperCase() + item.name.slice(1)
            } are understood`,
            "define other types in the unikernel's own modules",
          );
        }
        for (const c of item.constructors) this.constructors.set(c, item.name);
        return [];
      case "unsupported":
        return this.fail(
          item.pos,
          `${item.what} cannot be translated: a config.ts holds devices, not OCaml modules`,
          "move the module into the unikernel's sources, and refer to it by name in main or impl",
        );
      case "expr":
        return this.fail(
          item.pos,
          "a top-level expression runs at configure time and cannot be translated",
          "remove it, or bind its result with let",
        );
      case "let":
        if (item.rec) this.fail(item.pos, "recursive definitions (let rec) cannot be translated");
        return item.bindings.flatMap((b) => this.#topBinding(b, scope));
    }
  }

  #topBinding(b: Binding, scope: Scope): TsStmt[] {
    if (b.params.length > 0 || b.expr.kind === "fun" || b.expr.kind === "function") {
      if (b.pat.kind !== "var") this.fail(b.pos, "a function must be bound to a name");
      return [this.#functionDecl(b, scope)];
    }
    if (b.pat.kind === "unit" || b.pat.kind === "any") {
      if (!containsRegister(b.expr)) {
        this.fail(
          b.expr.pos,
          "let () = ... runs code at configure time; only register can be translated here",
          "remove it, or compute the value in the unikernel itself",
        );
      }
      if (this.#registered) this.fail(b.pos, "config.ml registers more than one unikernel");
      this.#registered = true;
      const v = this.value(b.expr, scope, true);
      return [{ k: "export", value: v }];
    }
    const v = this.expr(b.expr, scope, true);
    return this.#bindPattern(b.pat, v, b.type, scope, this.#globals, true);
  }

  /** Binds a pattern to a value: a name, or a tuple destructured. */
  #bindPattern(
    pat: Pattern,
    v: V,
    type: string | undefined,
    scope: Scope,
    taken: Set<string>,
    global: boolean,
  ): TsStmt[] {
    if (pat.kind === "annot") return this.#bindPattern(pat.pat, v, pat.type, scope, taken, global);
    if (pat.kind === "var") {
      if (v.k === "meta") {
        scope.set(pat.name, { k: "meta", meta: v.meta });
        return [];
      }
      if (v.k === "fnref") {
        scope.set(pat.name, { k: "function", name: v.name, sig: v.sig });
        return [];
      }
      const name = this.fresh(pat.name, global ? taken : new Set([...taken, ...scope.tsNames()]));
      taken.add(name);
      const info = v.info ?? {};
      if (type && info.runtimeArg) {
        const t = tsTypeOf(type);
        if (t) info.runtimeArg.typeArgs = [t];
      }
      scope.set(pat.name, { k: "value", ts: { k: "id", name }, info });
      return [{ k: "const", name, value: v.e }];
    }
    if (pat.kind === "tuple" && pat.items.every((p) => p.kind === "var" || p.kind === "any")) {
      const e = this.ts(v, pat.pos);
      const names = pat.items.map((p) => {
        if (p.kind !== "var") return "";
        const name = this.fresh(p.name, global ? taken : new Set([...taken, ...scope.tsNames()]));
        taken.add(name);
        scope.set(p.name, { k: "value", ts: { k: "id", name }, info: {} });
        return name;
      });
      return [{ k: "const", name: names, value: e }];
    }
    if (pat.kind === "unit" || pat.kind === "any") {
      return this.fail(pat.pos, "a let () or let _ binding runs code for its effects");
    }
    return this.fail(pat.pos, "only names and tuples of names can be bound by let");
  }

  #functionDecl(b: Binding, scope: Scope): TsStmt {
    const name = (b.pat as { name: string }).name;
    const tsName = this.fresh(name, this.#globals);
    this.#globals.add(tsName);
    const fn = this.func(b.params, b.expr, scope, b.pos, hintsFor(name));
    scope.set(name, { k: "function", name: tsName, sig: fn.sig });
    return { k: "function", name: tsName, params: fn.params, body: fn.body };
  }

  /** A function: its parameters (positional, then one object of the labelled ones) and body. */
  func(
    params: readonly Param[],
    body: Expr,
    outer: Scope,
    pos: Pos,
    hints: readonly string[] = [],
  ): { params: TsParam[]; body: TsBlock; sig: Signature } {
    let all = [...params];
    let rest = body;
    while (rest.kind === "fun") {
      all = [...all, ...rest.params];
      rest = rest.body;
    }
    const scope = new Scope(outer);
    const taken = new Set([...this.#globals, ...outer.tsNames()]);
    const positional: TsParam[] = [];
    const labelled: { key: string; name: string; default?: TsExpr }[] = [];
    const labels = new Set<string>();
    let allOptional = true;
    const pending: { pat: Pattern; subject: string }[] = [];
    for (const p of all) {
      if (p.kind === "labelled") {
        const pat = p.pat.kind === "annot" ? p.pat.pat : p.pat;
        if (pat.kind !== "var") this.fail(p.pos, "a labelled parameter must be a name");
        const local = this.fresh(pat.name, taken);
        taken.add(local);
        scope.set(pat.name, { k: "value", ts: { k: "id", name: local }, info: {} });
        const def = p.default ? this.value(p.default, outer, false) : undefined;
        labelled.push({ key: camel(p.label), name: local, default: def });
        labels.add(p.label);
        if (!p.optional && !p.default) allOptional = false;
        continue;
      }
      const pat = p.pat.kind === "annot" ? p.pat.pat : p.pat;
      if (pat.kind === "unit") continue;
      const hint = hints[positional.length];
      if (pat.kind === "var" || pat.kind === "any") {
        const base = pat.kind === "var" ? pat.name : hint ?? "_";
        const local = this.fresh(base, taken);
        taken.add(local);
        if (pat.kind === "var") {
          scope.set(pat.name, { k: "value", ts: { k: "id", name: local }, info: {} });
        }
        positional.push({ k: "name", name: local });
        continue;
      }
      if (pat.kind === "list" && pat.items.every((q) => q.kind === "var" || q.kind === "any")) {
        const names = pat.items.map((q) => {
          const local = this.fresh(q.kind === "var" ? q.name : "_", taken);
          taken.add(local);
          if (q.kind === "var") {
            scope.set(q.name, { k: "value", ts: { k: "id", name: local }, info: {} });
          }
          return local;
        });
        positional.push({ k: "arrayPat", names });
        continue;
      }
      const subject = this.fresh(hint ?? "arg", taken);
      taken.add(subject);
      positional.push({ k: "name", name: subject });
      pending.push({ pat, subject });
    }
    const sig = { positional: positional.length, labels };
    if (labelled.length > 0) {
      positional.push({
        k: "objectPat",
        props: labelled,
        default: allOptional ? { k: "object", props: [] } : undefined,
      });
    }
    const stmts: TsStmt[] = [];
    for (const { pat, subject } of pending) {
      stmts.push(...destructure(this, pat, { k: "id", name: subject }, scope, taken));
    }
    if (rest.kind === "function") {
      const hint = hints[positional.length]?.replace(/^_+/, "");
      const subject = this.fresh(hint || "arg", taken);
      taken.add(subject);
      const single = singleListCase(rest.cases);
      if (single && fails(single.fallback)) {
        const names = single.items.map((q) => {
          const local = this.fresh(q.kind === "var" ? q.name : "_", taken);
          taken.add(local);
          if (q.kind === "var") {
            scope.set(q.name, { k: "value", ts: { k: "id", name: local }, info: {} });
          }
          return local;
        });
        positional.splice(sig.positional, 0, { k: "arrayPat", names });
        stmts.push(...this.#tail(single.body, scope, taken));
      } else {
        positional.splice(sig.positional, 0, { k: "name", name: subject });
        stmts.push(...this.#match({ k: "id", name: subject }, rest.cases, scope, taken, rest.pos));
      }
      return {
        params: positional,
        body: { k: "block", body: stmts },
        sig: { ...sig, positional: sig.positional + 1 },
      };
    }
    stmts.push(...this.#tail(rest, scope, taken));
    void pos;
    return { params: positional, body: { k: "block", body: stmts }, sig };
  }

  /** The statements of a function body ending in `e`: local lets, matches, a return. */
  #tail(e: Expr, scope: Scope, taken: Set<string>): TsStmt[] {
    if (e.kind === "let") {
      if (e.rec) this.fail(e.pos, "recursive definitions (let rec) cannot be translated");
      const inner = new Scope(scope);
      const stmts: TsStmt[] = [];
      for (const b of e.bindings) {
        if (b.params.length > 0 || b.expr.kind === "fun" || b.expr.kind === "function") {
          if (b.pat.kind !== "var") this.fail(b.pos, "a function must be bound to a name");
          if (this.#inlined(b, e.body, inner)) continue;
          const fn = this.func(b.params, b.expr, inner, b.pos, hintsFor(b.pat.name));
          const name = this.fresh(b.pat.name, new Set([...taken, ...inner.tsNames()]));
          taken.add(name);
          inner.set(b.pat.name, { k: "function", name, sig: fn.sig });
          stmts.push({ k: "const", name, value: { k: "arrow", params: fn.params, body: fn.body } });
          continue;
        }
        const v = this.expr(b.expr, inner, false);
        stmts.push(...this.#bindPattern(b.pat, v, b.type, inner, taken, false));
      }
      return [...stmts, ...this.#tail(e.body, inner, taken)];
    }
    if (e.kind === "letopen") return this.withOpen(e.path, () => this.#tail(e.body, scope, taken));
    if (e.kind === "match") {
      const subject = this.value(e.scrutinee, scope, false);
      const stmts: TsStmt[] = [];
      let s = subject;
      if (subject.k !== "id") {
        const name = this.fresh("v", new Set([...taken, ...scope.tsNames()]));
        taken.add(name);
        stmts.push({ k: "const", name, value: subject });
        s = { k: "id", name };
      }
      return [...stmts, ...this.#match(s, e.cases, scope, taken, e.pos)];
    }
    if (e.kind === "seq") {
      this.fail(e.pos, "a sequence (e1; e2) runs code for its effects and cannot be translated");
    }
    if (fails(e)) return [{ k: "throw", value: failure(this, e, scope) }];
    return [{ k: "return", value: this.value(e, scope, false) }];
  }

  /** A match in statement position: one `if` per case, a throw when none matches. */
  #match(
    subject: TsExpr,
    cases: readonly Case[],
    scope: Scope,
    taken: Set<string>,
    pos: Pos,
  ): TsStmt[] {
    const stmts: TsStmt[] = [];
    for (const c of cases) {
      if (c.guard) this.fail(c.guard.pos, "match guards (when) cannot be translated");
      const test = patternTest(this, c.pat, subject);
      const inner = new Scope(scope);
      const innerTaken = new Set(taken);
      const body = [
        ...destructure(this, c.pat, subject, inner, innerTaken),
        ...this.#tail(c.body, inner, innerTaken),
      ];
      if (test === undefined) {
        stmts.push(...body);
        return stmts;
      }
      stmts.push({ k: "if", test, then: { k: "block", body } });
    }
    stmts.push({
      k: "throw",
      value: {
        k: "new",
        callee: { k: "id", name: "Error" },
        args: [{ k: "str", value: `no case matches (${this.file}:${pos.line}:${pos.col})` }],
      },
    });
    return stmts;
  }

  withOpen<T>(path: readonly string[], f: () => T): T {
    this.#opens.push([...path]);
    try {
      return f();
    } finally {
      this.#opens.pop();
    }
  }

  /** An expression that must be an ordinary value. */
  value(e: Expr, scope: Scope, top: boolean): TsExpr {
    return this.ts(this.expr(e, scope, top), e.pos);
  }

  ts(v: V, pos: Pos): TsExpr {
    if (v.k === "ts") return v.e;
    if (v.k === "fnref") return { k: "id", name: v.name };
    return this.fail(pos, "a Cmdliner argument description can only be used by Key.create");
  }

  /**
   * Translates an expression. At the top level (`top`), local `let ... in` bindings are hoisted
   * into consts of their own before the binding that holds them.
   */
  expr(e: Expr, scope: Scope, top: boolean): V {
    const ts = (x: TsExpr, info?: Info): V => ({ k: "ts", e: x, info });
    switch (e.kind) {
      case "string":
        return ts({ k: "str", value: e.value });
      case "int":
        return ts(this.#int(e.text, e.pos));
      case "float":
        return ts({ k: "num", text: e.text.replace(/\.$/, "") });
      case "char":
        return ts({ k: "str", value: e.value });
      case "bool":
        return ts({ k: "bool", value: e.value });
      case "unit":
        return ts({ k: "undef" });
      case "curpos":
        return this.fail(
          e.pos,
          "__POS__ is only understood as ~pos:__POS__",
          "drop it: unik records positions itself",
        );
      case "neg": {
        const inner = this.value(e.expr, scope, top);
        if (inner.k === "num") return ts({ k: "num", text: `-${inner.text}` });
        return ts({ k: "bin", op: "-", left: { k: "num", text: "0" }, right: inner });
      }
      case "list":
        return ts({ k: "array", items: e.items.map((x) => this.value(x, scope, top)) });
      case "tuple":
        return ts({ k: "array", items: e.items.map((x) => this.value(x, scope, top)) });
      case "record":
        return ts({
          k: "object",
          props: e.fields.map((f) => ({
            key: camel(f.name),
            value: this.value(f.value, scope, top),
          })).filter((p) => p.value.k !== "undef"),
        });
      case "variant":
        if (e.arg) this.fail(e.pos, "variant tags with arguments cannot be translated");
        return ts({ k: "str", value: e.tag.toLowerCase() });
      case "constr":
        return this.#constr(e, scope, top);
      case "ident":
        return this.#ident(e, scope);
      case "field":
        return ts({ k: "member", obj: this.value(e.expr, scope, top), name: camel(e.name) });
      case "annot": {
        const v = this.expr(e.expr, scope, top);
        if (v.k === "ts" && v.info?.runtimeArg) {
          const t = tsTypeOf(e.type);
          if (t) v.info.runtimeArg.typeArgs = [t];
        }
        return v;
      }
      case "open":
        return this.withOpen(e.path, () => this.expr(e.expr, scope, top));
      case "letopen":
        return this.withOpen(e.path, () => this.expr(e.body, scope, top));
      case "app":
        return this.#app(e.fn, e.args, scope, top, e.pos);
      case "binop":
        return this.#binop(e, scope, top);
      case "if":
        if (!e.else) this.fail(e.pos, "an if without else runs code for its effects");
        return ts({
          k: "cond",
          test: this.value(e.cond, scope, top),
          then: this.value(e.then, scope, top),
          else: this.value(e.else, scope, top),
        });
      case "let":
        return this.#letExpr(e, scope, top);
      case "fun":
      case "function": {
        const fn = this.func([], e, scope, e.pos);
        return ts(arrow(fn.params, fn.body));
      }
      case "match":
        return this.#matchExpr(e, scope, top);
      case "assert":
        return this.fail(e.pos, "assert cannot be translated outside a connect function's cases");
      case "seq":
        return this.fail(
          e.pos,
          "a sequence (e1; e2) runs code for its effects and cannot be translated",
        );
      case "unsupported":
        return this.fail(e.pos, `${e.what} cannot be translated`);
    }
  }

  #int(text: string, pos: Pos): TsExpr {
    const digits = text.replace(/[lLn]$/, "");
    const clean = digits.replace(/_/g, "");
    const value = BigInt(clean.replace(/^0[oO]/, "0o").replace(/^0[bB]/, "0b"));
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
      this.fail(pos, `the integer ${text} is larger than TypeScript numbers hold exactly`);
    }
    return {
      k: "num",
      text: digits.replace(/^0O/, "0o").replace(/^0B/, "0b").replace(/^0X/, "0x"),
    };
  }

  /**
   * A local function used once, as an argument (`let connect ... in impl ~connect ...`), is
   * written where it is used: there it gets its parameter types from unik's API.
   */
  #inlined(b: Binding, body: Expr, scope: Scope): boolean {
    const name = (b.pat as { name: string }).name;
    const use = usage(name, body);
    if (use.total !== 1 || use.heads !== 0) return false;
    const fn = this.func(b.params, b.expr, scope, b.pos, hintsFor(name));
    scope.set(name, { k: "value", ts: arrow(fn.params, fn.body), info: {} });
    return true;
  }

  #letExpr(e: Extract<Expr, { kind: "let" }>, scope: Scope, top: boolean): V {
    if (!top) {
      this.fail(
        e.pos,
        "a local let ... in inside an argument cannot be translated",
        "bind the value at the top level, or inside a function body",
      );
    }
    if (e.rec) this.fail(e.pos, "recursive definitions (let rec) cannot be translated");
    const inner = new Scope(scope);
    for (const b of e.bindings) {
      if (b.params.length > 0 || b.expr.kind === "fun" || b.expr.kind === "function") {
        if (b.pat.kind !== "var") this.fail(b.pos, "a function must be bound to a name");
        if (this.#inlined(b, e.body, inner)) continue;
        this.#hoisted.push(this.#functionDecl(b, inner));
        continue;
      }
      const v = this.expr(b.expr, inner, true);
      this.#hoisted.push(...this.#bindPattern(b.pat, v, b.type, inner, this.#globals, true));
    }
    return this.expr(e.body, inner, true);
  }

  #matchExpr(e: Extract<Expr, { kind: "match" }>, scope: Scope, top: boolean): V {
    const subject = this.value(e.scrutinee, scope, top);
    // As an expression: each case a conditional; a Some x case binds x to the subject itself.
    let result: TsExpr | undefined;
    const arms: { test?: TsExpr; value: TsExpr }[] = [];
    for (const c of e.cases) {
      if (c.guard) this.fail(c.guard.pos, "match guards (when) cannot be translated");
      const inner = new Scope(scope);
      const vars = patternVars(c.pat);
      if (vars.length > 0) {
        const simple = (c.pat.kind === "var") ||
          (c.pat.kind === "constr" && c.pat.name === "Some" && c.pat.arg?.kind === "var");
        if (!simple || subject.k !== "id") {
          this.fail(
            c.pat.pos,
            "this match binds names and is not in a function body: it cannot be translated",
            "move it into a function, or match on a name",
          );
        }
        inner.set(vars[0], { k: "value", ts: subject, info: {} });
      }
      const test = patternTest(this, c.pat, subject);
      arms.push({ test, value: this.value(c.body, inner, false) });
      if (!test) break;
    }
    // OCaml matches are exhaustive: the last case is what remains when the others fail.
    for (let i = arms.length - 1; i >= 0; i--) {
      const arm = arms[i];
      result = result === undefined
        ? arm.value
        : { k: "cond", test: arm.test!, then: arm.value, else: result };
    }
    return { k: "ts", e: result! };
  }

  #constr(e: Extract<Expr, { kind: "constr" }>, scope: Scope, top: boolean): V {
    const full = [...e.path, e.name].join(".");
    if (e.name === "None" && e.path.length === 0) return { k: "ts", e: { k: "undef" } };
    if (e.name === "Some" && e.path.length === 0) {
      if (!e.arg) this.fail(e.pos, "Some needs an argument");
      return this.expr(e.arg, scope, top);
    }
    if (e.path[0] === "Logs" && e.path.length === 1 && !e.arg) {
      return { k: "ts", e: { k: "str", value: e.name.toLowerCase() } };
    }
    if (e.arg) {
      return this.fail(e.pos, `the constructor ${full} with an argument cannot be translated`);
    }
    if (this.constructors.has(full)) {
      return this.fail(
        e.pos,
        `the constructor ${full} stands for a device type: use it as typ ${full}`,
      );
    }
    return this.fail(
      e.pos,
      `unknown constructor ${full}`,
      "define it with type t = ... in config.ml if it is a device type",
    );
  }

  /** The qualified names an identifier may stand for, local opens first. */
  #candidates(path: readonly string[], name: string): string[] {
    const stripped = path[0] === "Mirage" || path[0] === "Functoria" ? path.slice(1) : path;
    const base = [...stripped, name].join(".");
    const out = this.#opens.slice().reverse().map((o) => {
      const p = o[0] === "Mirage" ? o.slice(1) : o;
      return [...p, base].join(".");
    });
    return [...out, base];
  }

  #ident(e: Extract<Expr, { kind: "ident" }>, scope: Scope): V {
    if (e.path.length === 0) {
      const b = scope.get(e.name);
      if (b?.k === "value") return { k: "ts", e: b.ts, info: b.info };
      if (b?.k === "function") return { k: "fnref", name: b.name, sig: b.sig };
      if (b?.k === "meta") return { k: "meta", meta: b.meta };
    }
    for (const full of this.#candidates(e.path, e.name)) {
      const v = this.#libValue(full, e.pos);
      if (v) return v;
    }
    return this.#unknown(e.path, e.name, e.pos);
  }

  #unknown(path: readonly string[], name: string, pos: Pos): never {
    const full = [...path, name].join(".");
    const mod = path.find((p) => p !== "Mirage");
    if (IO_FUNCTIONS.has(full) || (mod && IO_MODULES.has(mod))) {
      const hint = mod === "Sys" && name === "getenv"
        ? "use a configure key instead: key({ name, default }) and value(...)"
        : "config.ts is evaluated in a sandbox without I/O: remove it, or do it in the unikernel";
      this.fail(pos, `${full} runs I/O at configure time and cannot be translated`, hint);
    }
    const removed = REMOVED_IN_4_9[full.replace(/^Mirage\./, "")];
    if (removed) {
      this.fail(pos, `${full} was removed in mirage 4.9, whose API unik implements`, removed);
    }
    this.fail(
      pos,
      `unknown combinator ${full}: unik has no equivalent`,
      "write this part of config.ts by hand (see the README's 'Coming from mirage')",
    );
  }

  /** A `Mirage` value by qualified name, or undefined if unik does not have it. */
  #libValue(full: string, pos: Pos): V | undefined {
    if (full.startsWith("Key.") && full.slice(4) in KEY_MEMBERS) {
      return {
        k: "ts",
        e: { k: "member", obj: this.unik("Key"), name: KEY_MEMBERS[full.slice(4)] },
        info: full === "Key.target" ? { keyTags: TARGET_TAGS } : {},
      };
    }
    if (!full.includes(".")) {
      const lib = libName(full);
      if (lib) {
        return {
          k: "ts",
          e: this.use(lib),
          info: TYPE_NAMES.has(lib.name) ? { isTyp: true } : {},
        };
      }
    }
    void pos;
    return undefined;
  }

  // ---- applications ----

  /** The qualified name a function expression stands for when it is not bound by the config. */
  #headName(fn: Expr, scope: Scope): string[] | undefined {
    if (fn.kind !== "ident") return undefined;
    if (fn.path.length === 0 && scope.get(fn.name)) return undefined;
    return this.#candidates(fn.path, fn.name);
  }

  /** `f @@ x` and `x |> f`: `f` applied to one more argument (`main "M" @@ a @-> job`). */
  #applyTo(f: Expr, x: Expr, scope: Scope, top: boolean, pos: Pos): V {
    const arg: Arg = { optional: false, expr: x, pos: x.pos };
    if (f.kind === "app") return this.#app(f.fn, [...f.args, arg], scope, top, pos);
    return this.#app(f, [arg], scope, top, pos);
  }

  #app(fn: Expr, args: readonly Arg[], scope: Scope, top: boolean, pos: Pos): V {
    const names = this.#headName(fn, scope);
    if (names) {
      for (const name of names) {
        const translated = special(this, name, args, scope, top, pos);
        if (translated) return translated;
      }
    }
    const head = this.expr(fn, scope, top);
    if (head.k === "meta") this.fail(pos, "a Cmdliner argument description is not a function");
    if (head.k === "fnref") return { k: "ts", e: this.#userCall(head, args, scope, top, pos) };
    return { k: "ts", e: this.call(head.e, args, scope, top, head.info) };
  }

  /** A call in unik's convention: positional arguments, then the labelled ones as an object. */
  call(callee: TsExpr, args: readonly Arg[], scope: Scope, top: boolean, _info?: Info): TsExpr {
    const positional: TsExpr[] = [];
    const props: TsProp[] = [];
    const typed = callee.k === "id" ? RUNTIME_ARG_TYPES[callee.name] : undefined;
    const learn = (v: V, where: string | number) => {
      const t = typed?.[where];
      const arg = v.k === "ts" ? v.info?.runtimeArg : undefined;
      if (t && arg && !arg.typeArgs) arg.typeArgs = [t];
    };
    for (const a of args) {
      if (!a.label) {
        if (a.expr.kind === "unit") continue;
        const v = this.expr(a.expr, scope, top);
        learn(v, positional.length);
        positional.push(this.ts(v, a.pos));
        continue;
      }
      if (a.label === "pos") continue;
      const v = this.expr(a.expr, scope, top);
      learn(v, camel(a.label));
      const value = this.ts(v, a.pos);
      if (value.k !== "undef") props.push({ key: camel(a.label), value });
    }
    if (props.length > 0) positional.push({ k: "object", props });
    return { k: "call", callee, args: positional };
  }

  /** A labelled argument as an options property (a `None` one is left out). */
  labelled(a: Arg, scope: Scope, top: boolean): TsProp | undefined {
    if (a.label === "pos") return undefined;
    const v = this.value(a.expr, scope, top);
    if (v.k === "undef") return undefined;
    const key = camel(a.label!);
    return { key, value: v };
  }

  #userCall(
    f: { name: string; sig: Signature },
    args: readonly Arg[],
    scope: Scope,
    top: boolean,
    pos: Pos,
  ): TsExpr {
    const positional = args.filter((a) => !a.label && a.expr.kind !== "unit");
    for (const a of args) {
      if (a.label && !f.sig.labels.has(a.label)) {
        this.fail(a.pos, `${f.name} has no parameter ~${a.label}`);
      }
    }
    if (positional.length !== f.sig.positional) {
      this.fail(
        pos,
        `${f.name} takes ${f.sig.positional} argument(s) here but is given ${positional.length}: partial application cannot be translated`,
        "pass every argument",
      );
    }
    const e = this.call({ k: "id", name: f.name }, args, scope, top);
    if (e.k === "call" && f.sig.labels.size > 0 && !args.some((a) => a.label)) {
      // Every labelled parameter is optional here: the options object may be left out.
      return e;
    }
    return e;
  }

  #binop(e: Extract<Expr, { kind: "binop" }>, scope: Scope, top: boolean): V {
    const val = (x: TsExpr): V => ({ k: "ts", e: x });
    switch (e.op) {
      case "$": {
        const parts: Expr[] = [];
        let f: Expr = e;
        while (f.kind === "binop" && f.op === "$") {
          parts.unshift(f.right);
          f = f.left;
        }
        return val({
          k: "call",
          callee: this.unik("apply"),
          args: [
            this.value(f, scope, top),
            ...parts.map((p) => this.value(p, scope, top)),
          ],
        });
      }
      case "@->": {
        const types: Expr[] = [];
        let t: Expr = e;
        while (t.kind === "binop" && t.op === "@->") {
          types.push(t.left);
          t = t.right;
        }
        types.push(t);
        return val({
          k: "call",
          callee: this.unik("fn"),
          args: types.map((x) => this.value(x, scope, top)),
        });
      }
      case "@@":
        return this.#applyTo(e.left, e.right, scope, top, e.pos);
      case "|>":
        return this.#applyTo(e.right, e.left, scope, top, e.pos);
      case "@":
        return val(append(this, e.left, e.right, scope, top));
      case "^":
        return val({
          k: "bin",
          op: "+",
          left: this.value(e.left, scope, top),
          right: this.value(e.right, scope, top),
        });
    }
    const ops: Record<string, string> = {
      "=": "===",
      "==": "===",
      "<>": "!==",
      "!=": "!==",
      "&&": "&&",
      "||": "||",
      "+": "+",
      "-": "-",
      "*": "*",
      "<": "<",
      ">": ">",
      "<=": "<=",
      ">=": ">=",
    };
    const op = ops[e.op];
    if (!op) return this.fail(e.pos, `the operator ${e.op} cannot be translated`);
    return val({
      k: "bin",
      op,
      left: this.value(e.left, scope, top),
      right: this.value(e.right, scope, top),
    });
  }
}

/**
 * The type of the runtime arguments that standard devices take (`paf_server ~port`): a
 * `runtimeArg` passed there gets it as its type argument, so that config.ts type-checks.
 */
const RUNTIME_ARG_TYPES: Readonly<Record<string, Readonly<Record<string | number, string>>>> = {
  pafServer: { port: "number" },
  chamelon: { programBlockSize: "number" },
  ccmBlock: { 0: "string" },
  docteur: { analyze: "boolean" },
};

/** How often `name` occurs free in `e` (approximately: shadowing is not seen), and as a call head. */
function usage(name: string, e: Expr): { total: number; heads: number } {
  let total = 0, heads = 0;
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (typeof x !== "object" || x === null) return;
    const o = x as Record<string, unknown>;
    if (o.kind === "ident" && o.name === name && (o.path as string[]).length === 0) total++;
    if (o.kind === "app") {
      const f = o.fn as Expr;
      if (f.kind === "ident" && f.name === name && f.path.length === 0) heads++;
    }
    for (const v of Object.values(o)) walk(v);
  };
  walk(e);
  return { total, heads };
}

/** The TypeScript type of an OCaml runtime argument type (`int runtime_arg` gives `number`). */
function tsTypeOf(type: string): string | undefined {
  const first = type.trim().split(/\s+/)[0];
  return ({ int: "number", string: "string", bool: "boolean", int64: "bigint" } as Record<
    string,
    string
  >)[first];
}

function hintsFor(name: string): string[] {
  return name === "connect" ? ["_info", "_modname", "_args"] : [];
}

/** Every name bound anywhere in the program, in camelCase. */
function collectNames(program: Program, out: Set<string>): void {
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) {
      x.forEach(walk);
      return;
    }
    if (typeof x !== "object" || x === null) return;
    const o = x as Record<string, unknown>;
    if (o.kind === "var" && typeof o.name === "string") out.add(camel(o.name));
    if (o.kind === "labelled" && typeof o.label === "string") out.add(camel(o.label));
    for (const v of Object.values(o)) walk(v);
  };
  walk(program.items);
}

function containsRegister(e: Expr): boolean {
  if (e.kind === "app") {
    return (e.fn.kind === "ident" && e.fn.name === "register") || containsRegister(e.fn);
  }
  if (e.kind === "let") return containsRegister(e.body);
  if (e.kind === "letopen" || e.kind === "open") {
    return containsRegister("body" in e ? e.body : e.expr);
  }
  if (e.kind === "binop" && (e.op === "@@" || e.op === "|>")) {
    return containsRegister(e.left) || containsRegister(e.right);
  }
  if (e.kind === "ident") return e.name === "register";
  return false;
}
