/**
 * The module specifiers a TypeScript source imports, found without running it, and a rewrite of
 * them. unik fetches and verifies every module a plugin imports itself, then hands the sandbox
 * the verified text with its specifiers pointing at that text. The scan need not be perfect:
 * an import it misses is refused by the sandbox (no import permission), never loaded unchecked.
 * @module
 */

/** One specifier in a source: its text and where the text (without quotes) starts and ends. */
export interface ImportSite {
  /** The specifier as written. */
  readonly specifier: string;
  /** Offset of its first character. */
  readonly start: number;
  /** Offset just after its last character. */
  readonly end: number;
  /** 1-based line. */
  readonly line: number;
}

/** A comment or a string literal of a module's source: `[start, end)` offsets. */
export interface LexicalSpan {
  /** What it is. */
  readonly kind: "comment" | "string";
  /** Offset of its first character (the opening quote of a string). */
  readonly start: number;
  /** Offset just after it. */
  readonly end: number;
}

/**
 * The comments and string literals of `source`, in order: the one walk over quotes, escapes and
 * comments that both import scanning and import rewriting rely on, so they can never disagree
 * about what is code.
 */
export function lexicalSpans(source: string): LexicalSpan[] {
  const spans: LexicalSpan[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    const start = i;
    if (c === "/" && source[i + 1] === "/") {
      while (i < source.length && source[i] !== "\n") i++;
      spans.push({ kind: "comment", start, end: i });
    } else if (c === "/" && source[i + 1] === "*") {
      const close = source.indexOf("*/", i + 2);
      i = close < 0 ? source.length : close + 2;
      spans.push({ kind: "comment", start, end: i });
    } else if (c === '"' || c === "'" || c === "`") {
      i++;
      while (i < source.length && source[i] !== c) {
        if (source[i] === "\\") i++;
        else if (c !== "`" && source[i] === "\n") break;
        i++;
      }
      i++;
      spans.push({ kind: "string", start, end: Math.min(i, source.length) });
    } else i++;
  }
  return spans;
}

/** The source with comments replaced by spaces (offsets and lines kept), strings left as is. */
function blankComments(source: string): string {
  const out = source.split("");
  for (const span of lexicalSpans(source)) {
    if (span.kind !== "comment") continue;
    for (let i = span.start; i < span.end; i++) if (source[i] !== "\n") out[i] = " ";
  }
  return out.join("");
}

const IMPORT = /(?:\bfrom|\bimport)\s*\(?\s*(["'])([^"'\n]+)\1/g;

/** Every static specifier (and literal dynamic `import("...")`) of a module, in source order. */
export function scanImports(source: string): ImportSite[] {
  const text = blankComments(source);
  const sites: ImportSite[] = [];
  let line = 1;
  let counted = 0;
  for (const m of text.matchAll(IMPORT)) {
    const start = m.index + m[0].length - 1 - m[2].length;
    for (; counted < start; counted++) if (text[counted] === "\n") line++;
    sites.push({ specifier: m[2], start, end: start + m[2].length, line });
  }
  return sites;
}

/** The source with each specifier replaced by `replace(specifier)` (unchanged when undefined). */
export function rewriteImports(
  source: string,
  sites: readonly ImportSite[],
  replace: (specifier: string) => string | undefined,
): string {
  const parts: string[] = [];
  let from = 0;
  for (const site of sites) {
    const next = replace(site.specifier);
    if (next === undefined) continue;
    parts.push(source.slice(from, site.start), next);
    from = site.end;
  }
  parts.push(source.slice(from));
  return parts.join("");
}

/** Whether a specifier names a module by URL (what unik fetches and locks). */
export function isUrlSpecifier(specifier: string): boolean {
  return /^(https?|file):/.test(specifier);
}

/** Whether a specifier is resolved by unik's own import map or by Deno (no fetch). */
export function isBuiltinSpecifier(specifier: string): boolean {
  return specifier === "unik" || specifier.startsWith("unik/") || specifier.startsWith("node:");
}

/** Whether a specifier is relative to the module that imports it. */
export function isRelativeSpecifier(specifier: string): boolean {
  return specifier.startsWith("./") || specifier.startsWith("../");
}

/** The plugin entry URLs config.ts imports, absolute, in source order, without duplicates. */
export function pluginImports(configSource: string, configUrl: string): string[] {
  const urls = scanImports(configSource)
    .filter((s) => isUrlSpecifier(s.specifier))
    .map((s) => {
      const u = new URL(s.specifier, configUrl);
      u.hash = "";
      return u.href;
    });
  return [...new Set(urls)];
}
