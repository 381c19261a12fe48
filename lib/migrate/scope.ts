/**
 * What the translator of config.ml works with: the values it builds, the scopes of OCaml
 * names, and the interface the parts of the translation share.
 * @module
 */

import type { Arg, Expr, Param, Pos } from "./ast.ts";
import type { TsBlock, TsExpr, TsParam, TsProp } from "./emit.ts";
import type { LibName } from "./names.ts";

/** What stops the translation of an item: where, what, and what to do. */
export class Untranslatable extends Error {
  /** Where. */
  readonly pos: Pos;
  /** What to do. */
  readonly hint?: string;
  /** Builds it. */
  constructor(pos: Pos, message: string, hint?: string) {
    super(message);
    this.pos = pos;
    this.hint = hint;
  }
}

/** What a name is bound to while translating. */
export type Bound =
  | { readonly k: "value"; readonly ts: TsExpr; readonly info: Info }
  | { readonly k: "function"; readonly name: string; readonly sig: Signature }
  | { readonly k: "meta"; readonly meta: Meta };

/** What is known about a value beyond its TypeScript expression. */
export interface Info {
  /** A module type (`typ`, `job`, ...). */
  readonly isTyp?: boolean;
  /** The tags of an enumeration key's value, OCaml tag to string. */
  readonly tags?: ReadonlyMap<string, string>;
  /** A runtime argument call, whose type argument may be learned from its uses. */
  readonly runtimeArg?: { typeArgs?: string[] };
  /** A configure key and the tags of its values. */
  readonly keyTags?: ReadonlyMap<string, string>;
}

/** The shape of a user function: its positional parameter count and labels. */
export interface Signature {
  /** How many positional parameters (the labelled ones are one object after them). */
  readonly positional: number;
  /** The OCaml labels it takes. */
  readonly labels: ReadonlySet<string>;
}

/** Configure-time-only values: Cmdliner argument descriptions that become `key({...})`. */
export type Meta =
  | { readonly k: "info"; readonly props: ReadonlyMap<string, TsExpr>; readonly names: string[] }
  | { readonly k: "conv"; readonly conv: Conv }
  | { readonly k: "arg"; readonly props: TsProp[]; readonly tags?: ReadonlyMap<string, string> };

/** A Cmdliner converter. */
export type Conv =
  | { readonly k: "string" | "int" | "bool" }
  | { readonly k: "enum"; readonly values: readonly (readonly [string, string])[] }
  | { readonly k: "list"; readonly of: Conv }
  | { readonly k: "some"; readonly of: Conv };

/** A value being translated. */
export type V =
  | { readonly k: "ts"; readonly e: TsExpr; readonly info?: Info }
  | { readonly k: "meta"; readonly meta: Meta }
  | { readonly k: "fnref"; readonly name: string; readonly sig: Signature };

/** The OCaml names visible at a point, each bound to what it stands for. */
export class Scope {
  readonly #names = new Map<string, Bound>();
  /** The enclosing scope. */
  readonly parent?: Scope;
  /** A scope inside `parent`. */
  constructor(parent?: Scope) {
    this.parent = parent;
  }
  /** What `name` stands for here. */
  get(name: string): Bound | undefined {
    return this.#names.get(name) ?? this.parent?.get(name);
  }
  /** Binds `name` in this scope. */
  set(name: string, b: Bound): void {
    this.#names.set(name, b);
  }
  /** Every TypeScript name visible here. */
  tsNames(): Set<string> {
    const out = this.parent?.tsNames() ?? new Set<string>();
    for (const b of this.#names.values()) {
      if (b.k === "function") out.add(b.name);
      if (b.k === "value" && b.ts.k === "id") out.add(b.ts.name);
    }
    return out;
  }
}

/** Names a TypeScript binding may not take (keywords, and names config.ts needs). */
export const RESERVED_TS = new Set([
  "break",
  "case",
  "catch",
  "class",
  "const",
  "continue",
  "debugger",
  "default",
  "delete",
  "do",
  "else",
  "enum",
  "export",
  "extends",
  "false",
  "finally",
  "for",
  "function",
  "if",
  "import",
  "in",
  "instanceof",
  "new",
  "null",
  "return",
  "super",
  "switch",
  "this",
  "throw",
  "true",
  "try",
  "typeof",
  "var",
  "void",
  "while",
  "with",
  "yield",
  "let",
  "static",
  "implements",
  "interface",
  "package",
  "private",
  "protected",
  "public",
  "await",
  "undefined",
  "untranslated",
  "Error",
  "Value",
]);

/** A function expression; a body of one `return` becomes an expression body. */
export function arrow(params: readonly TsParam[], body: TsBlock): TsExpr {
  const only = body.body.length === 1 ? body.body[0] : undefined;
  if (only?.k === "return") return { k: "arrow", params, body: only.value };
  return { k: "arrow", params, body };
}

/** What the translator offers the modules that translate parts of config.ml. */
export interface Ctx {
  /** The config.ml name used in messages. */
  readonly file: string;
  /** Constructors of the config's own `type t = T` definitions, to their type name. */
  readonly constructors: ReadonlyMap<string, string>;
  /** Stops the translation of the current item with an error at `pos`. */
  fail(pos: Pos, message: string, hint?: string): never;
  /** Translates an expression (`top`: local lets may be hoisted to the top level). */
  expr(e: Expr, scope: Scope, top: boolean): V;
  /** Translates an expression that must be an ordinary value. */
  value(e: Expr, scope: Scope, top: boolean): TsExpr;
  /** The TypeScript of a translated value. */
  ts(v: V, pos: Pos): TsExpr;
  /** A name imported from `unik`. */
  unik(name: string): TsExpr;
  /** A name imported from unik or a plugin. */
  use(lib: LibName): TsExpr;
  /** Runs `f` with module `path` opened (`M.(e)`). */
  withOpen<T>(path: readonly string[], f: () => T): T;
  /** A fresh TypeScript name for OCaml `name`, not in `taken`. */
  fresh(name: string, taken: ReadonlySet<string>): string;
  /** A call in unik's convention: positional arguments, then an object of the labelled ones. */
  call(callee: TsExpr, args: readonly Arg[], scope: Scope, top: boolean): TsExpr;
  /** A labelled argument as an options property (undefined when it is `None`). */
  labelled(a: Arg, scope: Scope, top: boolean): TsProp | undefined;
  /** Translates a function: its parameters, body and signature. */
  func(
    params: readonly Param[],
    body: Expr,
    outer: Scope,
    pos: Pos,
    hints?: readonly string[],
  ): { params: TsParam[]; body: TsBlock; sig: Signature };
}
