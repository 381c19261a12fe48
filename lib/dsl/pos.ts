/**
 * Source positions of eDSL calls, read from the JavaScript stack. OCaml's `__POS__` has no
 * TypeScript equivalent: the position of a `main(...)`, `impl(...)` or `runtimeArg(...)` call
 * is the first stack frame outside unik's engine (`lib/`).
 * @module
 */

import { pathToFileURL } from "node:url";
import type { SourcePos } from "../errors.ts";

const LIB_DIR = new URL("../", import.meta.url).href;
const FRAME = /((?:file|https?|jsr|npm|data|blob):[^\s()]*?):(\d+):(\d+)\)?\s*$/;

const BLOB_URL = /blob:[^\s"'()]*?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** Blob URLs of verified plugin and config text, mapped back to the URLs they were read from. */
const aliases = new Map<string, string>();

/** Reports frames of `blobUrl` as frames of `url` (the module's real address). */
export function aliasUrl(blobUrl: string, url: string): void {
  aliases.set(blobUrl, url);
}

/** `text` with every aliased blob URL replaced by the URL it stands for. */
export function unaliasText(text: string): string {
  if (aliases.size === 0 || !text.includes("blob:")) return text;
  return text.replace(BLOB_URL, (b) => aliases.get(b) ?? b);
}

function frameFile(file: string): string {
  return aliases.get(file) ?? file;
}

/**
 * Frames kept per captured position: the caller of the eDSL function, nothing above it. Users
 * and plugins call the eDSL directly; unik's own devices made in `lib/` have no position.
 */
const CAPTURED_FRAMES = 1;

/** The call sites V8 hands to `Error.prepareStackTrace` (the parts used here). */
interface CallSite {
  getFileName(): string | null | undefined;
  getLineNumber(): number | null;
  getColumnNumber(): number | null;
}

type ErrorWithHooks = ErrorConstructor & {
  prepareStackTrace?: (error: unknown, sites: CallSite[]) => unknown;
};

const siteUrls = new Map<string, string>();

/** A file name of a call site as a URL (Deno gives local files as paths). */
function siteUrl(name: string): string {
  if (!name.startsWith("/")) return name;
  let url = siteUrls.get(name);
  if (url === undefined) siteUrls.set(name, url = pathToFileURL(name).href);
  return url;
}

/** The first call site outside the engine, read from structured sites (no text formatting). */
function firstUserSite(sites: readonly CallSite[]): SourcePos | undefined {
  for (const site of sites) {
    const name = site.getFileName();
    const line = site.getLineNumber();
    if (!name || line === null) continue;
    const file = frameFile(siteUrl(name));
    if (file.startsWith(LIB_DIR)) continue;
    return { file, line, column: site.getColumnNumber() ?? undefined };
  }
  return undefined;
}

/** A position captured cheaply now and resolved to file and line only when read. */
export class LazyPos {
  #trace: { stack?: unknown } | undefined;
  #pos: SourcePos | undefined | null = null;

  /**
   * Captures the stack above `api`, the eDSL function being called: its first frame is then
   * usually the user's call, the only one resolved.
   */
  // deno-lint-ignore ban-types
  constructor(api: Function) {
    const trace: { stack?: unknown } = {};
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = CAPTURED_FRAMES;
    Error.captureStackTrace(trace, api);
    Error.stackTraceLimit = limit;
    this.#trace = trace;
  }

  /** The first frame outside unik's `lib/`, as an absolute URL and line. */
  get value(): SourcePos | undefined {
    if (this.#pos === null) {
      // The stack is built when first read: read it as call sites, not as formatted text,
      // which costs tens of microseconds per position and shows in graphs of many devices.
      const E = Error as ErrorWithHooks;
      const previous = E.prepareStackTrace;
      E.prepareStackTrace = (_error, sites) => firstUserSite(sites);
      try {
        this.#pos = this.#trace?.stack as SourcePos | undefined;
      } finally {
        E.prepareStackTrace = previous;
      }
      this.#trace = undefined;
    }
    return this.#pos;
  }
}

/** The first frame of a stack trace that is not in unik's engine. */
export function firstUserFrame(stack: string): SourcePos | undefined {
  for (const line of stack.split("\n")) {
    const match = FRAME.exec(line);
    if (!match) continue;
    const [, raw, lineNo, column] = match;
    const file = frameFile(raw);
    if (file.startsWith(LIB_DIR)) continue;
    return { file, line: Number(lineNo), column: Number(column) };
  }
  return undefined;
}

/** The position of the frame of `error` in a given file (the config), if any. */
export function frameIn(error: unknown, fileUrl: string): SourcePos | undefined {
  const stack = error instanceof Error ? error.stack ?? "" : "";
  for (const line of stack.split("\n")) {
    const match = FRAME.exec(line);
    if (match && frameFile(match[1]) === fileUrl) {
      return { file: fileUrl, line: Number(match[2]), column: Number(match[3]) };
    }
  }
  return undefined;
}

/** The first frame of `error` outside the engine (a plugin or the config), if any. */
export function userFrameOf(error: unknown): SourcePos | undefined {
  return error instanceof Error ? firstUserFrame(error.stack ?? "") : undefined;
}
