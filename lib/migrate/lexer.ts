/**
 * Tokens of OCaml source, as `unik migrate` needs them: identifiers, keywords, literals
 * (strings with their escapes, quoted strings `{id|...|id}`, integers with `0x`, `_` and
 * `L` suffixes), labels (`~x:`, `?x`), polymorphic variant tags and operators, each with its
 * line and column. Comments are kept apart, with their spans, to be attached to bindings.
 * @module
 */

import type { Comment, Pos } from "./ast.ts";

/** What a token is. */
export type TokenKind =
  | "lident"
  | "uident"
  | "keyword"
  | "string"
  | "int"
  | "float"
  | "char"
  | "label" // ~x (punned) or ~x: (value follows)
  | "optlabel" // ?x or ?x:
  | "variant"
  | "op"
  | "punct"
  | "eof";

/** A token. */
export interface Token {
  /** Its kind. */
  readonly kind: TokenKind;
  /** The identifier, keyword, operator, punctuation, label name or literal text. */
  readonly text: string;
  /** For strings: the value. For labels: whether a `:` follows immediately. */
  readonly value?: string;
  /** For labels: `~x:` rather than `~x`. */
  readonly colon?: boolean;
  /** For strings: written as `{id|...|id}`. */
  readonly quoted?: boolean;
  /** Where it starts. */
  readonly pos: Pos;
  /** Where it ends (just after it). */
  readonly end: Pos;
}

/** A lexical error, at a position. */
export class LexError extends Error {
  /** Where. */
  readonly pos: Pos;
  /** Builds it. */
  constructor(message: string, pos: Pos) {
    super(message);
    this.pos = pos;
  }
}

const KEYWORDS = new Set([
  "and",
  "as",
  "assert",
  "begin",
  "class",
  "constraint",
  "do",
  "done",
  "downto",
  "else",
  "end",
  "exception",
  "external",
  "false",
  "for",
  "fun",
  "function",
  "functor",
  "if",
  "in",
  "include",
  "inherit",
  "lazy",
  "let",
  "match",
  "method",
  "module",
  "mutable",
  "new",
  "object",
  "of",
  "open",
  "or",
  "private",
  "rec",
  "sig",
  "struct",
  "then",
  "to",
  "true",
  "try",
  "type",
  "val",
  "virtual",
  "when",
  "while",
  "with",
  "mod",
  "land",
  "lor",
  "lxor",
  "lsl",
  "lsr",
  "asr",
]);

const OP_CHARS = "!$%&*+-./:<=>?@^|~";
const PUNCT = ["(", ")", "[", "]", "{", "}", ",", ";;", ";", "::", ":", "->", "|", "=", ".", "`"];
const IDENT_CHAR = /[A-Za-z0-9_']/;

/** The tokens and comments of `text`. */
export function lex(text: string): { tokens: Token[]; comments: Comment[] } {
  const tokens: Token[] = [];
  const comments: Comment[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const pos = (): Pos => ({ line, col: i - lineStart + 1, offset: i });
  const advance = (n: number) => {
    for (let k = 0; k < n; k++) {
      if (text[i] === "\n") {
        line++;
        lineStart = i + 1;
      }
      i++;
    }
  };
  const push = (kind: TokenKind, start: Pos, t: string, extra: Partial<Token> = {}) => {
    tokens.push({ kind, text: t, pos: start, end: pos(), ...extra });
  };

  while (i < text.length) {
    const c = text[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      advance(1);
      continue;
    }
    const start = pos();
    if (text.startsWith("(*", i) && !text.startsWith("(*)", i)) {
      const body = readComment(text, i, start);
      advance(body.length);
      comments.push({ text: body.slice(2, -2), pos: start, end: pos() });
      continue;
    }
    if (c === "#" && start.col === 1) {
      // A line directive or toplevel directive: not part of the subset.
      throw new LexError("toplevel directives (#...) are not supported in config.ml", start);
    }
    if (c === '"') {
      const { value, length } = readString(text, i, start);
      advance(length);
      push("string", start, text.slice(start.offset, i), { value });
      continue;
    }
    const quoted = /^\{([a-z_]*)\|/.exec(text.slice(i, i + 40));
    if (quoted) {
      const close = `|${quoted[1]}}`;
      const endAt = text.indexOf(close, i + quoted[0].length);
      if (endAt < 0) throw new LexError("unterminated quoted string", start);
      const value = text.slice(i + quoted[0].length, endAt);
      advance(endAt + close.length - i);
      push("string", start, text.slice(start.offset, i), { value, quoted: true });
      continue;
    }
    if (/[0-9]/.test(c)) {
      const m =
        /^(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|[0-9][0-9_]*)(\.[0-9_]*)?([eE][+-]?[0-9_]+)?([lLn])?/
          .exec(text.slice(i));
      const t = m![0];
      advance(t.length);
      const isFloat = (m![2] !== undefined || m![3] !== undefined) && !/^0[xob]/i.test(t);
      push(isFloat ? "float" : "int", start, t);
      continue;
    }
    if (/[a-z_]/.test(c) || /[A-Z]/.test(c)) {
      let j = i + 1;
      while (j < text.length && IDENT_CHAR.test(text[j])) j++;
      const word = text.slice(i, j);
      advance(j - i);
      if (word === "_" || /^[a-z_]/.test(word)) {
        push(KEYWORDS.has(word) ? "keyword" : "lident", start, word);
      } else push("uident", start, word);
      continue;
    }
    if (c === "'") {
      const ch = /^'(\\(?:[\\'"ntbr ]|[0-9]{3}|x[0-9a-fA-F]{2})|[^\\'\n])'/.exec(text.slice(i));
      if (ch) {
        advance(ch[0].length);
        push("char", start, ch[0], { value: unescape(ch[1], start) });
        continue;
      }
      // A type variable ('a): only appears in type expressions, which are skipped.
      let j = i + 1;
      while (j < text.length && IDENT_CHAR.test(text[j])) j++;
      advance(j - i);
      push("lident", start, text.slice(start.offset, i));
      continue;
    }
    if ((c === "~" || c === "?") && /[a-z_]/.test(text[i + 1] ?? "")) {
      let j = i + 1;
      while (j < text.length && IDENT_CHAR.test(text[j])) j++;
      const name = text.slice(i + 1, j);
      if (!KEYWORDS.has(name)) {
        const colon = text[j] === ":" && text[j + 1] !== ":" && text[j + 1] !== "=";
        advance(j - i + (colon ? 1 : 0));
        push(c === "~" ? "label" : "optlabel", start, name, { colon });
        continue;
      }
    }
    if (c === "`" && /[A-Za-z]/.test(text[i + 1] ?? "")) {
      let j = i + 1;
      while (j < text.length && IDENT_CHAR.test(text[j])) j++;
      const tag = text.slice(i + 1, j);
      advance(j - i);
      push("variant", start, tag);
      continue;
    }
    if (OP_CHARS.includes(c)) {
      let j = i;
      while (j < text.length && OP_CHARS.includes(text[j])) j++;
      const op = text.slice(i, j);
      if (PUNCT.includes(op) && op !== ".") {
        advance(j - i);
        push("punct", start, op);
        continue;
      }
      if (c !== ".") {
        advance(j - i);
        push("op", start, op);
        continue;
      }
    }
    const punct = PUNCT.find((p) => text.startsWith(p, i));
    if (punct) {
      advance(punct.length);
      push("punct", start, punct);
      continue;
    }
    throw new LexError(`unexpected character ${JSON.stringify(c)}`, start);
  }
  const end = pos();
  tokens.push({ kind: "eof", text: "end of file", pos: end, end });
  return { tokens, comments };
}

/** The text of the comment starting at `from` (nested comments and strings inside it). */
function readComment(text: string, from: number, start: Pos): string {
  let depth = 0;
  let i = from;
  while (i < text.length) {
    if (text.startsWith("(*", i)) {
      depth++;
      i += 2;
    } else if (text.startsWith("*)", i)) {
      depth--;
      i += 2;
      if (depth === 0) return text.slice(from, i);
    } else if (text[i] === '"') {
      const close = findStringEnd(text, i);
      i = close < 0 ? i + 1 : close + 1;
    } else i++;
  }
  throw new LexError("unterminated comment", start);
}

function findStringEnd(text: string, from: number): number {
  for (let i = from + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

/** Reads a `"..."` literal: its value (escapes resolved) and its length in the source. */
function readString(text: string, from: number, start: Pos): { value: string; length: number } {
  let value = "";
  let i = from + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') return { value, length: i + 1 - from };
    if (c === "\\") {
      const next = text[i + 1];
      if (next === "\n" || next === "\r") {
        // A newline escape: skips the newline and the next line's leading blanks.
        i += next === "\r" && text[i + 2] === "\n" ? 3 : 2;
        while (text[i] === " " || text[i] === "\t") i++;
        continue;
      }
      const esc = /^\\(?:[\\'"ntbr ]|[0-9]{3}|x[0-9a-fA-F]{2}|o[0-3][0-7]{2}|u\{[0-9a-fA-F]+\})/
        .exec(text.slice(i, i + 12));
      if (!esc) {
        throw new LexError(
          `invalid escape ${JSON.stringify(text.slice(i, i + 2))} in a string`,
          start,
        );
      }
      value += unescape(esc[0], start);
      i += esc[0].length;
      continue;
    }
    value += c;
    i++;
  }
  throw new LexError("unterminated string", start);
}

/** The character an OCaml escape sequence (or a plain character) stands for. */
function unescape(seq: string, at: Pos): string {
  if (!seq.startsWith("\\")) return seq;
  const e = seq.slice(1);
  const simple: Record<string, string> = {
    "\\": "\\",
    "'": "'",
    '"': '"',
    n: "\n",
    t: "\t",
    b: "\b",
    r: "\r",
    " ": " ",
  };
  if (e in simple) return simple[e];
  if (/^[0-9]{3}$/.test(e)) {
    const n = parseInt(e, 10);
    if (n > 255) throw new LexError(`invalid escape \\${e}`, at);
    return String.fromCharCode(n);
  }
  if (e[0] === "x") return String.fromCharCode(parseInt(e.slice(1), 16));
  if (e[0] === "o") return String.fromCharCode(parseInt(e.slice(1), 8));
  return String.fromCodePoint(parseInt(e.slice(2, -1), 16));
}
