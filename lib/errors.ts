/**
 * Errors unik reports to users. Each carries a class that maps to a distinct exit code, an
 * optional source position (config.ts or a plugin) and a hint saying what to do next.
 * @module
 */

/** The class of a failure; each has its own exit code (see {@link exitCodeOf}). */
export type ErrorKind =
  | "usage"
  | "config"
  | "plugin"
  | "toolchain"
  | "runtime"
  | "io"
  | "internal";

/** A position in a source file, 1-based. */
export interface SourcePos {
  /** A path (relative to the project where possible) or URL. */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column, when known. */
  readonly column?: number;
}

/** Exit codes per error class, documented in the README. */
export const EXIT_CODES: Readonly<Record<ErrorKind, number>> = {
  internal: 1,
  usage: 2,
  config: 3,
  plugin: 4,
  toolchain: 5,
  runtime: 6,
  io: 7,
};

/** Options of {@link UnikError}. */
export interface UnikErrorOptions {
  /** Where the problem is. */
  readonly pos?: SourcePos;
  /** What the user can do about it. */
  readonly hint?: string;
  /** The underlying error. */
  readonly cause?: unknown;
}

/** An error meant for the user: `kind` picks the exit code, `pos` and `hint` help fix it. */
export class UnikError extends Error {
  /** The error class. */
  readonly kind: ErrorKind;
  /** Where the problem is, when known. */
  readonly pos?: SourcePos;
  /** What to do about it. */
  readonly hint?: string;

  /** Makes an error of class `kind`. */
  constructor(kind: ErrorKind, message: string, options: UnikErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "UnikError";
    this.kind = kind;
    this.pos = options.pos;
    this.hint = options.hint;
  }

  /** The same error with a position, unless it has one already. */
  at(pos: SourcePos | undefined): UnikError {
    if (this.pos || !pos) return this;
    return new UnikError(this.kind, this.message, { pos, hint: this.hint, cause: this.cause });
  }
}

/** A configuration error (the config.ts or the graph it describes is wrong). */
export function configError(message: string, options?: UnikErrorOptions): UnikError {
  return new UnikError("config", message, options);
}

/** A plugin error (a plugin, its lock entry or its registry is wrong or unsafe). */
export function pluginError(message: string, options?: UnikErrorOptions): UnikError {
  return new UnikError("plugin", message, options);
}

/** A usage error (the command line is wrong). */
export function usageError(message: string, options?: UnikErrorOptions): UnikError {
  return new UnikError("usage", message, options);
}

/** The exit code of an error class. */
export function exitCodeOf(kind: ErrorKind): number {
  return EXIT_CODES[kind];
}

/** `file:line:column` for messages. */
export function formatPos(pos: SourcePos): string {
  return pos.column ? `${pos.file}:${pos.line}:${pos.column}` : `${pos.file}:${pos.line}`;
}

/** The one-block message printed for an error: position, message, hint. */
export function formatError(error: UnikError): string {
  const where = error.pos ? `${formatPos(error.pos)}: ` : "";
  const hint = error.hint ? `\n  hint: ${error.hint}` : "";
  return `unik: ${where}${error.message}${hint}`;
}

/** A plain-data form of an error, to cross a worker boundary. */
export interface ErrorData {
  /** The class of error (it decides the exit code). */
  readonly kind: ErrorKind;
  /** What went wrong. */
  readonly message: string;
  /** Where, in config.ts or a plugin. */
  readonly pos?: SourcePos;
  /** What to do about it. */
  readonly hint?: string;
}

/** Turns an error into plain data. */
export function errorToData(error: UnikError): ErrorData {
  return { kind: error.kind, message: error.message, pos: error.pos, hint: error.hint };
}

/** Rebuilds an error from plain data. */
export function errorFromData(data: ErrorData): UnikError {
  return new UnikError(data.kind, data.message, { pos: data.pos, hint: data.hint });
}
