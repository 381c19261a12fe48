/**
 * Comments of config.ml: the version line, the text of a comment as `//` lines, and the
 * comments that go with each top-level item.
 * @module
 */

import type { Comment, Pos, Program } from "./ast.ts";
import type { TsStmt } from "./emit.ts";

/** The version comment `(* mirage >= 4.9.0 & < 4.10.0 *)` at the top of a config.ml. */
/** The version line of a config.ml, if its first comment is one, and the versions it accepts. */
export function versionComment(comments: readonly Comment[]):
  | { comment: Comment; range: string; accepts(version: string): boolean }
  | undefined {
  const first = comments[0];
  if (!first || first.pos.line !== 1) return undefined;
  const m = /^\s*mirage\s+(.*?)\s*$/.exec(first.text);
  if (!m) return undefined;
  const range = m[1];
  const clauses = range.split("&").map((c) =>
    /^\s*(>=|<=|>|<|=)\s*([0-9][0-9.~a-z+-]*)\s*$/.exec(c)
  );
  if (clauses.some((c) => !c)) return undefined;
  const cmp = (a: string, b: string) => {
    const x = a.split(/[.~+-]/).map((n) => Number(n) || 0),
      y = b.split(/[.~+-]/).map((n) => Number(n) || 0);
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
      if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
    }
    return 0;
  };
  return {
    comment: first,
    range,
    accepts(version: string): boolean {
      return clauses.every((c) => {
        const d = cmp(version, c![2]);
        return { ">=": d >= 0, "<=": d <= 0, ">": d > 0, "<": d < 0, "=": d === 0 }[c![1]]!;
      });
    },
  };
}

/** The lines of a comment's text, without the surrounding blanks and common indentation. */
export function commentLines(text: string): string[] {
  let body = text;
  if (body.startsWith("*") && !body.startsWith("**")) body = body.slice(1);
  // Every line terminator of JavaScript ends a line: a `//` comment must not end early.
  const lines = body.split(/\r\n|[\n\r\u2028\u2029]/).map((l) => l.replace(/\s+$/, ""));
  while (lines.length > 0 && lines[0].trim() === "") lines.shift();
  while (lines.length > 0 && lines[lines.length - 1].trim() === "") lines.pop();
  if (lines.length === 0) return [];
  const first = lines[0].trimStart();
  const rest = lines.slice(1);
  const indent = Math.min(
    ...rest.filter((l) => l.trim() !== "").map((l) => /^\s*/.exec(l)![0].length),
  );
  return [first, ...rest.map((l) => (Number.isFinite(indent) ? l.slice(indent) : l))];
}

/** A statement with comments above it (and a blank line before, if `blank`). */
export function withComments(s: TsStmt, comments: readonly string[], blank: boolean): TsStmt {
  if (s.k === "const" || s.k === "function" || s.k === "export" || s.k === "expr") {
    return { ...s, comments: [...comments, ...(s.comments ?? [])], blankBefore: blank };
  }
  return s;
}

/** Whether the source has an empty line between two positions. */
export function hasBlankLine(program: Program, from: Pos, to: Pos): boolean {
  void program;
  return to.line - from.line > 1;
}

/** Hands out comments in order: those before an item, those inside it. */
export class CommentQueue {
  #rest: Comment[];
  /** Comments to hand out, in source order. */
  constructor(comments: readonly Comment[]) {
    this.#rest = [...comments];
  }
  /** Leaves a comment out (the version line). */
  drop(c: Comment): void {
    this.#rest = this.#rest.filter((x) => x !== c);
  }
  /** The comments before `pos` not handed out yet. */
  before(pos: Pos, _after?: Pos): Comment[] {
    const out = this.#rest.filter((c) => c.pos.offset < pos.offset);
    this.#rest = this.#rest.filter((c) => c.pos.offset >= pos.offset);
    return out;
  }
  /** The comments inside an item. */
  within(pos: Pos, end: Pos): Comment[] {
    const out = this.#rest.filter((c) => c.pos.offset >= pos.offset && c.pos.offset < end.offset);
    this.#rest = this.#rest.filter((c) => !out.includes(c));
    return out;
  }
  /** The comments left (after the last item). */
  rest(): Comment[] {
    return this.#rest;
  }
}
