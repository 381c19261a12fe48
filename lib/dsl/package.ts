/**
 * opam package requirements and their merging. Unlike mirage 4.9, merging checks the bounds:
 * an unsatisfiable range, a scope mismatch or two different pins is an error that names the
 * devices that asked for them.
 * @module
 */

import { configError } from "../errors.ts";
import {
  checkFindlibName,
  checkOpamPackageName,
  checkOpamUrl,
  checkOpamVersion,
  requireField,
} from "../validate/mod.ts";

/** Where an opam package goes: vendored by opam-monorepo, or installed in the switch. */
export type PackageScope = "monorepo" | "switch";

/** Options of {@link pkg}. */
export interface PackageOptions {
  /** Inclusive lower bound (`>= min`). */
  readonly min?: string;
  /** Exclusive upper bound (`< max`). */
  readonly max?: string;
  /** Sub-libraries `name.<s>`; `""` stands for `name` itself. */
  readonly sublibs?: readonly string[];
  /** Explicit ocamlfind library names (default: the package name). */
  readonly libs?: readonly string[];
  /** Default `"monorepo"`. */
  readonly scope?: PackageScope;
  /** A build-only dependency (not linked). */
  readonly build?: boolean;
  /** A pin URL: adds a `pin-depends` entry and drops the bounds. */
  readonly pin?: string;
  /** The version of the pin (default `"dev"`). */
  readonly pinVersion?: string;
}

/** A bound together with who asked for it. */
export interface Bound {
  /** The version. */
  readonly version: string;
  /** The device that asked for it. */
  readonly from: string;
}

/** A package requirement. */
export interface Package {
  /** opam package name. */
  readonly name: string;
  /** Where it is installed. */
  readonly scope: PackageScope;
  /** Build-only. */
  readonly build: boolean;
  /** ocamlfind libraries it provides to the unikernel. */
  readonly libs: readonly string[];
  /** Lower bounds (the tightest wins). */
  readonly min: readonly Bound[];
  /** Upper bounds (the tightest wins). */
  readonly max: readonly Bound[];
  /** Pin, if any. */
  readonly pin?: { readonly url: string; readonly version: string; readonly from: string };
  /** Who asked for the package (first requester). */
  readonly from: string;
}

/** Checks the options of `pkg(name, options)` against opam's and findlib's grammars. */
function checkPackageOptions(name: string, options: PackageOptions): void {
  const field = (f: string) => `package ${name}: ${f}`;
  if (options.min !== undefined) requireField(field("min"), options.min, checkOpamVersion);
  if (options.max !== undefined) requireField(field("max"), options.max, checkOpamVersion);
  if (options.pin !== undefined) requireField(field("pin"), options.pin, checkOpamUrl);
  if (options.pinVersion !== undefined) {
    requireField(field("pinVersion"), options.pinVersion, checkOpamVersion);
  }
  for (const l of options.libs ?? []) requireField(field("libs"), l, checkFindlibName);
  for (const s of options.sublibs ?? []) {
    if (s !== "") requireField(field("sublibs"), s, checkFindlibName);
  }
}

/** An opam package requirement (OCaml's `package`). */
export function pkg(name: string, options: PackageOptions = {}): Package {
  const why = typeof name === "string" ? checkOpamPackageName(name) : "is not a string";
  if (why) {
    throw configError(`package name ${JSON.stringify(name)} is invalid`, {
      hint: "opam package names use letters, digits, '-', '_' and '+', with at least one letter",
    });
  }
  checkPackageOptions(name, options);
  if (options.libs && options.sublibs) {
    throw configError(`package ${name} may either specify sublibs or libs, not both`);
  }
  const libs = options.libs ??
    (options.sublibs ? options.sublibs.map((s) => (s === "" ? name : `${name}.${s}`)) : [name]);
  const from = "";
  return {
    name,
    scope: options.scope ?? "monorepo",
    build: options.build ?? false,
    libs: [...libs],
    min: options.min === undefined || options.pin ? [] : [{ version: options.min, from }],
    max: options.max === undefined || options.pin ? [] : [{ version: options.max, from }],
    pin: options.pin ? { url: options.pin, version: options.pinVersion ?? "dev", from } : undefined,
    from,
  };
}

/** The same package, marked as requested by `from` (a device description). */
export function requestedBy(p: Package, from: string): Package {
  return {
    ...p,
    from,
    min: p.min.map((b) => ({ ...b, from })),
    max: p.max.map((b) => ({ ...b, from })),
    pin: p.pin && { ...p.pin, from },
  };
}

/** opam's version order (Debian-like: alternating non-digit and digit runs, `~` first). */
export function compareVersions(a: string, b: string): number {
  const charOrder = (c: string | undefined) => {
    if (c === undefined) return 0;
    if (c === "~") return -1;
    return /[A-Za-z]/.test(c) ? c.charCodeAt(0) : c.charCodeAt(0) + 256;
  };
  const run = (s: string, from: number, digits: boolean) => {
    let end = from;
    while (end < s.length && /\d/.test(s[end]) === digits) end++;
    return s.slice(from, end);
  };
  let i = 0, j = 0;
  while (i < a.length || j < b.length) {
    const sa = run(a, i, false), sb = run(b, j, false);
    i += sa.length;
    j += sb.length;
    for (let k = 0; k < Math.max(sa.length, sb.length); k++) {
      const d = charOrder(sa[k]) - charOrder(sb[k]);
      if (d !== 0) return d;
    }
    const na = run(a, i, true), nb = run(b, j, true);
    i += na.length;
    j += nb.length;
    const d = Number(na || "0") - Number(nb || "0");
    if (d !== 0) return d;
  }
  return 0;
}

function tightest(bounds: readonly Bound[], pick: (c: number) => boolean): Bound[] {
  let best: Bound | undefined;
  for (const b of bounds) if (!best || pick(compareVersions(b.version, best.version))) best = b;
  return best ? [best] : [];
}

/** Merges two requirements of the same package; throws when they cannot both hold. */
export function mergePackage(a: Package, b: Package): Package {
  if (a.scope !== b.scope) {
    throw configError(
      `package ${a.name} is required in the ${a.scope} by ${a.from} but in the ${b.scope} by ${b.from}`,
      { hint: "give both requirements the same scope" },
    );
  }
  if (a.pin && b.pin && (a.pin.url !== b.pin.url || a.pin.version !== b.pin.version)) {
    throw configError(
      `conflicting pins for package ${a.name}: ${a.pin.url} (${a.pin.from}) and ${b.pin.url} (${b.pin.from})`,
    );
  }
  const pin = a.pin ?? b.pin;
  const min = pin ? [] : tightest([...a.min, ...b.min], (c) => c > 0);
  const max = pin ? [] : tightest([...a.max, ...b.max], (c) => c < 0);
  if (min.length && max.length && compareVersions(min[0].version, max[0].version) >= 0) {
    throw configError(
      `conflicting version bounds for package ${a.name}: ` +
        `>= ${min[0].version} (from ${min[0].from}) and < ${max[0].version} (from ${
          max[0].from
        }) cannot both hold`,
      { hint: "change one of the devices' bounds, or use a version of the device that agrees" },
    );
  }
  return {
    name: a.name,
    scope: a.scope,
    build: a.build || b.build,
    libs: [...new Set([...a.libs, ...b.libs])].sort(),
    min,
    max,
    pin,
    from: a.from,
  };
}

/** Merges package lists into one map by name (later entries merge into earlier ones). */
export function mergePackages(lists: Iterable<readonly Package[]>): Map<string, Package> {
  const merged = new Map<string, Package>();
  for (const list of lists) {
    for (const p of list) {
      const prev = merged.get(p.name);
      merged.set(p.name, prev ? mergePackage(prev, p) : p);
    }
  }
  return merged;
}

/** A package as printed in opam `depends`: `"name" { ?monorepo & >= "1.0" }`. */
export function showPackage(p: Package): string {
  const constraints = [
    ...(p.scope === "monorepo" ? ["?monorepo"] : []),
    ...(p.build ? ["build"] : []),
    ...p.min.map((b) => `>= "${b.version}"`),
    ...p.max.map((b) => `< "${b.version}"`),
  ];
  return constraints.length ? `"${p.name}" { ${constraints.join(" & ")} }` : `"${p.name}"`;
}
