/**
 * What the user wrote at a call: the text of `blockOfFile("storage")` and where each of its
 * arguments starts. A stack frame gives only the position of a call's callee; the sandbox
 * registers the text of config.ts and its local modules (as they were evaluated) so that
 * messages can quote a call and point at the argument that is wrong. Without the text (a
 * device made outside the sandbox, a module not registered) callers fall back to names.
 * @module
 */

import { lexicalSpans } from "../plugins/imports.ts";
import type { SourcePos } from "../errors.ts";
import type { UserCall } from "./pos.ts";

export type { UserCall };

/** The evaluated text of each registered module, by the URL its frames are reported under. */
const sources = new Map<string, string>();

/** Registers `text` as the source of `url` (its frames' positions refer to this text). */
export function registerSource(url: string, text: string): void {
  sources.set(url, text);
  for (const where of located.keys()) if (where.endsWith(`:${url}`)) located.delete(where);
}

/** One argument of a call: the offsets of its text in the source, `[start, end)`. */
export interface ArgumentSpan {
  /** Offset of its first character. */
  readonly start: number;
  /** Offset just after its last character. */
  readonly end: number;
}

/** A call found in a source: its callee's name, the whole call's text and its arguments. */
export interface CallSpan {
  /** The callee as written at the position (`blockOfFile`). */
  readonly callee: string;
  /** Offset of the callee. */
  readonly start: number;
  /** Offset just after the closing parenthesis. */
  readonly end: number;
  /** The arguments, in order. */
  readonly args: readonly ArgumentSpan[];
}

/** The 0-based offset of a 1-based line and column, if the source has it. */
function offsetOf(text: string, line: number, column: number): number | undefined {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf("\n", offset);
    if (next < 0) return undefined;
    offset = next + 1;
  }
  const at = offset + column - 1;
  return at < text.length ? at : undefined;
}

/** The 1-based line and column of an offset. */
function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

const CLOSE: Record<string, string> = { "(": ")", "[": "]", "{": "}" };
const IDENTIFIER = /[A-Za-z0-9_$]/;

/**
 * The items of the bracketed list that opens at `open` (`(a, b)`, `{ x: 1, y }`) and the
 * offset just after it closes. Strings, template literals and comments are skipped whole (the
 * one lexical walk of the import scanner), brackets are balanced.
 */
function listAt(text: string, open: number): { items: ArgumentSpan[]; end: number } | undefined {
  const spans = new Map(
    lexicalSpans(text.slice(open)).map((s) => [s.start + open, { ...s, end: s.end + open }]),
  );
  const closers = [CLOSE[text[open]]];
  const items: ArgumentSpan[] = [];
  let start = -1;
  let end = -1;
  const mark = (from: number, to: number) => {
    if (start < 0) start = from;
    end = to;
  };
  const endItem = () => {
    if (start >= 0) items.push({ start, end });
    start = -1;
  };
  for (let i = open + 1; i < text.length; i++) {
    const span = spans.get(i);
    if (span) {
      if (span.kind === "string") mark(i, span.end);
      i = span.end - 1;
      continue;
    }
    const c = text[i];
    if (c === "," && closers.length === 1) endItem();
    else if (c === closers[closers.length - 1]) {
      closers.pop();
      if (closers.length === 0) {
        endItem();
        return { items, end: i + 1 };
      }
      mark(i, i + 1);
    } else if (c in CLOSE) {
      closers.push(CLOSE[c]);
      mark(i, i + 1);
    } else if (c === ")" || c === "]" || c === "}") return undefined;
    else if (!/\s/.test(c)) mark(i, i + 1);
  }
  return undefined;
}

/** The offset of the first non-blank character at or after `at`. */
function skipBlanks(text: string, at: number): number {
  while (at < text.length && /\s/.test(text[at])) at++;
  return at;
}

/** The call whose callee starts at `offset` in `text`: `callee<types>(a, b, ...)`. */
export function callAt(text: string, offset: number): CallSpan | undefined {
  let i = offset;
  while (i < text.length && IDENTIFIER.test(text[i])) i++;
  if (i === offset) return undefined;
  const callee = text.slice(offset, i);
  i = skipBlanks(text, i);
  if (text[i] === "<") {
    // Explicit type arguments: `apply<...>(`.
    for (let depth = 0; i < text.length; i++) {
      if (text[i] === "<") depth++;
      else if (text[i] === ">" && --depth === 0) break;
    }
    i = skipBlanks(text, i + 1);
  }
  if (text[i] !== "(") return undefined;
  const list = listAt(text, i);
  return list && { callee, start: offset, end: list.end, args: list.items };
}

/** Calls already located, by position: every device a plugin made for one call names it. */
const located = new Map<string, { text: string; call: CallSpan } | undefined>();

/** The registered call at a frame's position (the callee's line and column), if any. */
function registeredCall(pos: SourcePos): { text: string; call: CallSpan } | undefined {
  const text = sources.get(pos.file);
  if (text === undefined || pos.column === undefined) return undefined;
  const where = `${pos.line}:${pos.column}:${pos.file}`;
  if (located.has(where)) return located.get(where);
  const offset = offsetOf(text, pos.line, pos.column);
  const call = offset === undefined ? undefined : callAt(text, offset);
  const found = call && { text, call };
  located.set(where, found);
  return found;
}

/** Text for a message: one line, at most `max` characters. */
function oneLine(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, " ").replace(/([([{]) /g, "$1").replace(/ ([)\]}])/g, "$1")
    .replace(/,([)\]}])/g, "$1");
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** The text of the call at `pos` as the user wrote it (`blockOfFile("storage")`), if known. */
function callTextAt(pos: SourcePos): string | undefined {
  const found = registeredCall(pos);
  return found && oneLine(found.text.slice(found.call.start, found.call.end));
}

/** The text of argument `index` (0-based) of the call at `pos`, if known. */
export function argumentTextAt(pos: SourcePos, index: number): string | undefined {
  const found = registeredCall(pos);
  const arg = found?.call.args[index];
  return arg && oneLine(found.text.slice(arg.start, arg.end));
}

/**
 * The position of argument `index` (0-based) of the call at `pos`; the position of the
 * call itself when the text is unknown or has fewer arguments.
 */
export function argumentPosAt(pos: SourcePos, index: number): SourcePos {
  const found = registeredCall(pos);
  const arg = found?.call.args[index];
  if (!found || !arg) return pos;
  return { file: pos.file, ...positionOf(found.text, arg.start) };
}

/**
 * The position of element `element` (0-based) of the array literal that is argument `index`
 * of the call at `pos` (`register("x", [a, b])`), if the text is known and has it.
 */
export function elementPosAt(
  pos: SourcePos,
  index: number,
  element: number,
): SourcePos | undefined {
  const found = registeredCall(pos);
  const arg = found?.call.args[index];
  if (!found || !arg || found.text[arg.start] !== "[") return undefined;
  const item = listAt(found.text, arg.start)?.items[element];
  return item && { file: pos.file, ...positionOf(found.text, item.start) };
}

/** A property of an object literal argument: where it is and the text of its value. */
export interface PropertyAt {
  /** Where the property is written. */
  readonly pos: SourcePos;
  /** Its value as written (the name itself for a shorthand property). */
  readonly text: string;
}

/**
 * Property `name` of the object literal that is argument `index` (0-based) of the call at
 * `pos` (`register("x", jobs, { reporter: r })`), if the text is known and has it.
 */
export function propertyAt(pos: SourcePos, index: number, name: string): PropertyAt | undefined {
  const found = registeredCall(pos);
  const arg = found?.call.args[index];
  if (!found || !arg || found.text[arg.start] !== "{") return undefined;
  const property = new RegExp(`^(["']?)${name}\\1\\s*(?::\\s*|$)`);
  for (const item of listAt(found.text, arg.start)?.items ?? []) {
    const written = found.text.slice(item.start, item.end);
    const m = property.exec(written);
    if (m) {
      return {
        pos: { file: pos.file, ...positionOf(found.text, item.start) },
        text: oneLine(written.slice(m[0].length) || name),
      };
    }
  }
  return undefined;
}

function shortFile(file: string): string {
  return file.slice(file.lastIndexOf("/") + 1);
}

/**
 * A user's call for messages: its text and place (`blockOfFile("storage") (config.ts:5)`),
 * with the module it made when given; the callee's name stands for the text when unknown.
 */
export function describeCall(call: UserCall, module?: string): string {
  const text = callTextAt(call) ?? `${call.callee ?? "a call"}(…)`;
  const where = `${shortFile(call.file)}:${call.line}`;
  return module === undefined ? `${text} (${where})` : `${text} (${where}, module ${module})`;
}
