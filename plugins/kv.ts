/**
 * Key-value stores (`Mirage_kv.RO`, `Mirage_kv.RW`): a directory embedded at build time
 * (crunch), read from the host (Unix), or kept in memory.
 * @module
 */

import { type Impl, impl, Key, key, kvRo, kvRw, matchImpl, pkg, type Value, value } from "unik";

/** The module crunch generates for `dir`: `Static_` and `dir` with non-alphanumerics as `_`. */
export function crunchModule(dir: string): string {
  return `Static_${dir.replace(/[^0-9A-Za-z]/g, "_").toLowerCase()}`;
}

/** The files of directory `dir` embedded in the unikernel by ocaml-crunch at build time. */
export function crunch(dir: string): Impl<"kv_ro"> {
  const module = crunchModule(dir);
  return impl(module, kvRo, {
    packages: [
      pkg("mirage-kv-mem", { min: "4.0.0", max: "5.0.0" }),
      pkg("crunch", { min: "4.0.0", max: "5.0.0", build: true }),
    ],
    connect: (_i, m) => `${m}.connect ()`,
    dune: () => [
      `(rule
 (targets ${module}.ml ${module}.mli)
 (deps (source_tree ${dir}))
 (action
  (run ocaml-crunch -o ${module}.ml ${dir})))`,
    ],
  });
}

function unixDirectory(dir: string): Impl<"kv_ro"> {
  return impl("Mirage_kv_unix", kvRo, {
    packages: [pkg("mirage-kv-unix", { min: "2.1.0", max: "3.0.0" })],
    connect: (_i, m) => `${m}.connect ${JSON.stringify(dir)}`,
  });
}

/** `dir` read from the host on Unix (and Unikraft), crunched into the unikernel elsewhere. */
export function directKvRo(dir: string): Impl<"kv_ro"> {
  return matchImpl(Key.family, { solo5: crunch(dir), xen: crunch(dir) }, unixDirectory(dir));
}

/** The kinds of store {@link genericKvRo} chooses from. */
export type KvRoKind = "crunch" | "direct";

/** The `--[group-]kv_ro=crunch|direct` configure key (default `crunch`). */
export function kvRoKey(group?: string) {
  return key({
    name: group ? `${group}-kv_ro` : "kv_ro",
    type: "enum",
    values: ["crunch", "direct"] as KvRoKind[],
    default: "crunch",
    doc: `Read-only store${
      group ? ` for ${group}` : ""
    }: crunch (embedded) or direct (from the host).`,
  });
}

/** Options of {@link genericKvRo}. */
export interface GenericKvRoOptions {
  /** Prefix of the key's flag. */
  readonly group?: string;
  /** The value choosing the store (default: the `kv_ro` key). */
  readonly key?: Value<KvRoKind>;
}

/** A read-only store of `dir`, crunched or read directly as a configure key says. */
export function genericKvRo(dir: string, options: GenericKvRoOptions = {}): Impl<"kv_ro"> {
  const kind = options.key ?? value(kvRoKey(options.group));
  return matchImpl(kind, { crunch: crunch(dir), direct: directKvRo(dir) }, directKvRo(dir));
}

/** A read-write store in host directory `dir`. Unix only. */
export function directKvRw(dir: string): Impl<"kv_rw"> {
  return impl("Mirage_kv_unix", kvRw, {
    packages: [pkg("mirage-kv-unix", { min: "2.1.0", max: "3.0.0" })],
    connect: (_i, m) => `${m}.connect ${JSON.stringify(dir)}`,
    targets: ["unix", "macosx"],
  });
}

/** An in-memory read-write store. */
export function kvRwMem(): Impl<"kv_rw"> {
  return impl("Mirage_kv_mem", kvRw, {
    packages: [pkg("mirage-kv-mem", { min: "3.0.0", max: "4.0.0" })],
    connect: (_i, m) => `${m}.connect ()`,
  });
}
