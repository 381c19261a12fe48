/**
 * Source positions of eDSL calls, read from the JavaScript stack. OCaml's `__POS__` has no
 * TypeScript equivalent: the position of a `main(...)`, `impl(...)` or `runtimeArg(...)` call
 * is the first stack frame outside unik's engine (`lib/`).
 * @module
 */

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

/** A position captured cheaply now and resolved to file and line only when read. */
export class LazyPos {
  #trace: Error | undefined;
  #pos: SourcePos | undefined | null = null;

  /** Captures the stack of the current call. */
  constructor() {
    this.#trace = new Error();
  }

  /** The first frame outside unik's `lib/`, as an absolute URL and line. */
  get value(): SourcePos | undefined {
    if (this.#pos === null) {
      this.#pos = firstUserFrame(this.#trace?.stack ?? "");
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
