/**
 * How the sandbox resolves the specifiers of config.ts, its local modules and plugins, with no
 * import map: `unik`, `unik/...` and `unik/plugins/<family>` (with or without `.ts`) name
 * unik's own files, wherever unik runs from (a checkout, an installed package, a compiled
 * binary); relative specifiers stay relative; `node:` built-ins are Deno's. Anything else (a
 * bare name, `npm:`, `jsr:`, `data:`, an unverified URL) is refused before any code runs.
 * @module
 */

import { configError, type UnikError } from "../errors.ts";
import { type ImportSite, lexicalSpans, scanImports } from "../plugins/imports.ts";

const UNIK_ROOT = new URL("../../", import.meta.url);

/** The URL of unik's own module that `specifier` names, or undefined if it names none. */
export function unikModule(specifier: string): string | undefined {
  if (specifier === "unik") return new URL("lib/mod.ts", UNIK_ROOT).href;
  if (!specifier.startsWith("unik/")) return undefined;
  const path = specifier.slice("unik/".length);
  const segments = path.split("/");
  if (segments.some((s) => s === "" || s === "." || s === "..")) return undefined;
  const withExtension = /\.[A-Za-z0-9]+$/.test(segments[segments.length - 1]) ? path : `${path}.ts`;
  return new URL(withExtension, UNIK_ROOT).href;
}

/** Whether a module with this URL is TypeScript or JavaScript (its imports are rewritten). */
export function isCodeModule(url: string): boolean {
  return /\.(ts|mts|tsx|js|mjs|jsx)$/.test(new URL(url).pathname);
}

/** Whether a specifier is relative to the module that imports it. */
export function isRelative(specifier: string): boolean {
  return specifier.startsWith("./") || specifier.startsWith("../");
}

/** `specifier` resolved against `base`, without a fragment. */
export function resolveIn(base: string, specifier: string): string {
  const u = new URL(specifier, base);
  u.hash = "";
  return u.href;
}

/** The error for an import the sandbox does not provide. */
export function refusedImport(
  specifier: string,
  file: string,
  line: number,
  why: string,
): UnikError {
  return configError(`import ${JSON.stringify(specifier)} is not allowed: ${why}`, {
    pos: { file, line },
    hint: "config.ts and plugins may import unik, unik/..., unik/plugins/<family>, node: " +
      "built-ins, their own relative modules and plugins by http(s) URL (which unik verifies)",
  });
}

/**
 * `source` with `import.meta.url`, `.filename` and `.dirname` replaced by those of `url`: a
 * module loaded from a blob URL still finds its neighbours (`new URL('./x', import.meta.url)`).
 */
export function withModuleUrl(source: string, url: string): string {
  const file = url.startsWith("file:") ? decodeURIComponent(new URL(url).pathname) : undefined;
  return source.replace(/\bimport\.meta\.(url|filename|dirname)\b/g, (_whole, field) => {
    if (field === "url") return JSON.stringify(url);
    if (file === undefined) return "undefined";
    return JSON.stringify(field === "filename" ? file : file.slice(0, file.lastIndexOf("/")));
  });
}

/** Offsets of the opening quote of every string literal of `source` (comments skipped). */
function stringStarts(source: string): Set<number> {
  return new Set(lexicalSpans(source).filter((s) => s.kind === "string").map((s) => s.start));
}

/**
 * The import sites of `source` whose specifier is a string literal of its own: an
 * import-looking text inside another string (`"import '/'"`) is not an import and is left
 * alone, neither rewritten nor refused.
 */
export function importSites(source: string): ImportSite[] {
  const starts = stringStarts(source);
  return scanImports(source).filter((site) => starts.has(site.start - 1));
}
