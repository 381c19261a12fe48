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
 * Frames kept per captured position. The position proper is the caller of the eDSL function
 * (the first frame), as before; the frames above it are kept to find the user's own call when
 * a standard plugin made the device (config.ts calls `blockOfFile`, which calls `impl`).
 */
const CAPTURED_FRAMES = 16;

/** unik's own sources: calls made there are not what the user wrote. */
const UNIK_SOURCES = ["lib/", "plugins/", "targets/"].map((dir) =>
  new URL(`../../${dir}`, import.meta.url).href
);

/** Whether `file` (a URL) is one of unik's own sources. */
export function isUnikSource(file: string): boolean {
  return UNIK_SOURCES.some((dir) => file.startsWith(dir));
}

/** The call of the user's (outside unik's sources) that led to a captured position. */
export interface UserCall extends SourcePos {
  /** Whether the user called the eDSL function itself, rather than a plugin that did. */
  readonly direct: boolean;
  /** The name of the function the user called (`blockOfFile`), when known. */
  readonly callee?: string;
}

/** The call sites V8 hands to `Error.prepareStackTrace` (the parts used here). */
interface CallSite {
  getFileName(): string | null | undefined;
  getFunctionName(): string | null;
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

/** A call site as a position, if it has a file and line. */
function sitePos(site: CallSite): SourcePos | undefined {
  const name = site.getFileName();
  const line = site.getLineNumber();
  if (!name || line === null) return undefined;
  return { file: frameFile(siteUrl(name)), line, column: site.getColumnNumber() ?? undefined };
}

/** The first call site, unless it is in the engine (unik's own devices have no position). */
function firstUserSite(sites: readonly CallSite[]): SourcePos | undefined {
  const first = sites[0] && sitePos(sites[0]);
  return first && !first.file.startsWith(LIB_DIR) ? first : undefined;
}

/** The first call site outside unik's sources, and the function called from there. */
function userCallSite(sites: readonly CallSite[]): UserCall | undefined {
  for (const [i, site] of sites.entries()) {
    const pos = sitePos(site);
    if (!pos || isUnikSource(pos.file)) continue;
    const callee = i > 0 ? sites[i - 1].getFunctionName() ?? undefined : undefined;
    return { ...pos, direct: i === 0, callee };
  }
  return undefined;
}

/** Where the stack captured above `api` (the function being called) was, as call sites. */
// deno-lint-ignore ban-types
function capture(api: Function): { stack?: unknown } {
  const trace: { stack?: unknown } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = CAPTURED_FRAMES;
  Error.captureStackTrace(trace, api);
  Error.stackTraceLimit = limit;
  return trace;
}

/** Reads a captured stack as structured call sites (no text formatting). */
function readSites<T>(trace: { stack?: unknown }, read: (sites: CallSite[]) => T): T {
  const E = Error as ErrorWithHooks;
  const previous = E.prepareStackTrace;
  E.prepareStackTrace = (_error, sites) => read(sites);
  try {
    return trace.stack as T;
  } finally {
    E.prepareStackTrace = previous;
  }
}

/** A position captured cheaply now and resolved to file and line only when read. */
export class LazyPos {
  #trace: { stack?: unknown } | undefined;
  #resolved: { pos?: SourcePos; call?: UserCall } | undefined;

  /**
   * Captures the stack above `api`, the eDSL function being called: its first frame is then
   * usually the user's call.
   */
  // deno-lint-ignore ban-types
  constructor(api: Function) {
    this.#trace = capture(api);
  }

  #resolve(): { pos?: SourcePos; call?: UserCall } {
    if (this.#resolved === undefined) {
      // The stack is built when first read: read it as call sites, not as formatted text,
      // which costs tens of microseconds per position and shows in graphs of many devices.
      this.#resolved = readSites(this.#trace ?? {}, (sites) => ({
        pos: firstUserSite(sites),
        call: userCallSite(sites),
      })) ?? {};
      this.#trace = undefined;
    }
    return this.#resolved;
  }

  /** The caller of the eDSL function, unless it is unik's `lib/`: an absolute URL and line. */
  get value(): SourcePos | undefined {
    return this.#resolve().pos;
  }

  /** The user's call (outside unik's sources) that led here, if any. */
  get call(): UserCall | undefined {
    return this.#resolve().call;
  }
}

/** The position of the call of `api` (which must be running), wherever the caller is. */
// deno-lint-ignore ban-types
export function callerOf(api: Function): SourcePos | undefined {
  return readSites(capture(api), (sites) => sites[0] && sitePos(sites[0]));
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
