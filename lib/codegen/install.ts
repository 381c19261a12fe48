/**
 * The unikernel's installed files (the opam `install:` field and the promote rules of
 * `dist/dune`), merged from the target's and the devices' as mirage 4.9 merges them.
 * @module
 */

/** Installed files: binaries `[src, dst]` and etc files. */
export interface Installs {
  /** Binaries, as `[source in dist/, installed name]`. */
  readonly bin: readonly (readonly [string, string])[];
  /** Files installed in opam's etc directory. */
  readonly etc: readonly string[];
}

const utf8 = new TextEncoder();

/** OCaml's `String.compare` (byte order of the UTF-8 text), which orders mirage's path sets. */
export function compareBytes(a: string, b: string): number {
  const x = utf8.encode(a), y = utf8.encode(b);
  for (let i = 0; i < x.length && i < y.length; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

/**
 * Merges installs given in contribution order (the target's first, then the devices' in the graph's
 * contribution order): binaries stay in that order, etc files form a set, sorted, as
 * mirage 4.9's `Install.union` makes them (a list for `bin`, an `Fpath.Set` for `etc`).
 */
export function mergeInstalls(
  parts: readonly Installs[],
): { bin: [string, string][]; etc: string[] } {
  const bin = parts.flatMap((p) => p.bin.map(([src, dst]) => [src, dst] as [string, string]));
  const etc = [...new Set(parts.flatMap((p) => p.etc))].sort(compareBytes);
  return { bin, etc };
}
