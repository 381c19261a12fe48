/**
 * The abstract syntax of the OCaml subset `unik migrate` reads: what users write in a
 * MirageOS 4.9 config.ml (let bindings, functions with labelled arguments, applications,
 * literals, lists, records, matches) and enough of the rest to report it with its position.
 * @module
 */

/** A position in config.ml: 1-based line and column, 0-based offset. */
export interface Pos {
  /** Line, from 1. */
  readonly line: number;
  /** Column, from 1. */
  readonly col: number;
  /** Offset in the text, from 0. */
  readonly offset: number;
}

/** An argument of an application: positional, `~label:e` or `?label:e`. */
export interface Arg {
  /** The label, if any. */
  readonly label?: string;
  /** `?label`: the argument is passed as an option. */
  readonly optional: boolean;
  /** The argument (for a punned `~x`, the identifier `x`). */
  readonly expr: Expr;
  /** Where the argument starts. */
  readonly pos: Pos;
}

/** A parameter of a function: a pattern, or a labelled one with an optional default. */
export type Param =
  | { readonly kind: "positional"; readonly pat: Pattern; readonly pos: Pos }
  | {
    readonly kind: "labelled";
    readonly label: string;
    readonly optional: boolean;
    readonly pat: Pattern;
    readonly default?: Expr;
    readonly pos: Pos;
  };

/** A case of a `match` or `function`. */
export interface Case {
  /** The pattern. */
  readonly pat: Pattern;
  /** A `when` guard. */
  readonly guard?: Expr;
  /** The body. */
  readonly body: Expr;
}

/** A `let` binding: `pat params : type = expr`. */
export interface Binding {
  /** What is bound. */
  readonly pat: Pattern;
  /** Function parameters (`let f x ~y = ...`). */
  readonly params: readonly Param[];
  /** The type annotation's text, if any. */
  readonly type?: string;
  /** The bound expression. */
  readonly expr: Expr;
  /** Where the binding starts. */
  readonly pos: Pos;
}

/** Patterns. */
export type Pattern =
  | { readonly kind: "any"; readonly pos: Pos }
  | { readonly kind: "var"; readonly name: string; readonly pos: Pos }
  | { readonly kind: "unit"; readonly pos: Pos }
  | { readonly kind: "const"; readonly value: Expr; readonly pos: Pos }
  | {
    readonly kind: "constr";
    readonly name: string;
    readonly arg?: Pattern;
    readonly pos: Pos;
  }
  | { readonly kind: "variant"; readonly tag: string; readonly arg?: Pattern; readonly pos: Pos }
  | { readonly kind: "list"; readonly items: readonly Pattern[]; readonly pos: Pos }
  | { readonly kind: "tuple"; readonly items: readonly Pattern[]; readonly pos: Pos }
  | { readonly kind: "cons"; readonly head: Pattern; readonly tail: Pattern; readonly pos: Pos }
  | { readonly kind: "or"; readonly left: Pattern; readonly right: Pattern; readonly pos: Pos }
  | { readonly kind: "alias"; readonly pat: Pattern; readonly name: string; readonly pos: Pos }
  | { readonly kind: "annot"; readonly pat: Pattern; readonly type: string; readonly pos: Pos };

/** Expressions. */
export type Expr =
  | {
    readonly kind: "ident";
    readonly path: readonly string[];
    readonly name: string;
    readonly pos: Pos;
  }
  | {
    readonly kind: "constr";
    readonly path: readonly string[];
    readonly name: string;
    readonly arg?: Expr;
    readonly pos: Pos;
  }
  | { readonly kind: "variant"; readonly tag: string; readonly arg?: Expr; readonly pos: Pos }
  | { readonly kind: "string"; readonly value: string; readonly quoted: boolean; readonly pos: Pos }
  | { readonly kind: "int"; readonly text: string; readonly pos: Pos }
  | { readonly kind: "float"; readonly text: string; readonly pos: Pos }
  | { readonly kind: "char"; readonly value: string; readonly pos: Pos }
  | { readonly kind: "bool"; readonly value: boolean; readonly pos: Pos }
  | { readonly kind: "unit"; readonly pos: Pos }
  | { readonly kind: "list"; readonly items: readonly Expr[]; readonly pos: Pos }
  | { readonly kind: "tuple"; readonly items: readonly Expr[]; readonly pos: Pos }
  | {
    readonly kind: "record";
    readonly fields: readonly { readonly name: string; readonly value: Expr; readonly pos: Pos }[];
    readonly pos: Pos;
  }
  | { readonly kind: "field"; readonly expr: Expr; readonly name: string; readonly pos: Pos }
  | { readonly kind: "app"; readonly fn: Expr; readonly args: readonly Arg[]; readonly pos: Pos }
  | {
    readonly kind: "binop";
    readonly op: string;
    readonly left: Expr;
    readonly right: Expr;
    readonly pos: Pos;
  }
  | { readonly kind: "neg"; readonly expr: Expr; readonly pos: Pos }
  | {
    readonly kind: "let";
    readonly rec: boolean;
    readonly bindings: readonly Binding[];
    readonly body: Expr;
    readonly pos: Pos;
  }
  | {
    readonly kind: "letopen";
    readonly path: readonly string[];
    readonly body: Expr;
    readonly pos: Pos;
  }
  | {
    readonly kind: "fun";
    readonly params: readonly Param[];
    readonly body: Expr;
    readonly pos: Pos;
  }
  | { readonly kind: "function"; readonly cases: readonly Case[]; readonly pos: Pos }
  | {
    readonly kind: "match";
    readonly scrutinee: Expr;
    readonly cases: readonly Case[];
    readonly pos: Pos;
  }
  | {
    readonly kind: "if";
    readonly cond: Expr;
    readonly then: Expr;
    readonly else?: Expr;
    readonly pos: Pos;
  }
  | { readonly kind: "seq"; readonly first: Expr; readonly second: Expr; readonly pos: Pos }
  | {
    readonly kind: "open";
    readonly path: readonly string[];
    readonly expr: Expr;
    readonly pos: Pos;
  }
  | { readonly kind: "assert"; readonly expr: Expr; readonly pos: Pos }
  | { readonly kind: "curpos"; readonly pos: Pos }
  | { readonly kind: "annot"; readonly expr: Expr; readonly type: string; readonly pos: Pos }
  | { readonly kind: "unsupported"; readonly what: string; readonly pos: Pos };

/** A top-level item of config.ml. */
export type Item =
  | {
    readonly kind: "open";
    readonly path: readonly string[];
    readonly pos: Pos;
    readonly end: Pos;
  }
  | {
    readonly kind: "let";
    readonly rec: boolean;
    readonly bindings: readonly Binding[];
    readonly pos: Pos;
    readonly end: Pos;
  }
  | {
    readonly kind: "type";
    readonly name: string;
    readonly constructors: readonly string[];
    readonly pos: Pos;
    readonly end: Pos;
  }
  | { readonly kind: "expr"; readonly expr: Expr; readonly pos: Pos; readonly end: Pos }
  | { readonly kind: "unsupported"; readonly what: string; readonly pos: Pos; readonly end: Pos };

/** A comment, with the span it covers. */
export interface Comment {
  /** The text between `(*` and `*)`. */
  readonly text: string;
  /** Where `(*` is. */
  readonly pos: Pos;
  /** Where the comment ends (just after `*)`). */
  readonly end: Pos;
}

/** A parsed config.ml. */
export interface Program {
  /** The top-level items, in order. */
  readonly items: readonly Item[];
  /** Every comment, in order. */
  readonly comments: readonly Comment[];
}

/** The position of an expression. */
export function posOf(e: Expr | Pattern): Pos {
  return e.pos;
}
