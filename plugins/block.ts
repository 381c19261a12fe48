/**
 * Block devices (`Mirage_block.S`): files, Xen virtual disks and RAM disks.
 * @module
 */

import {
  apply,
  block,
  fn,
  type Impl,
  impl,
  Key,
  key,
  matchImpl,
  pkg,
  type RuntimeArg,
  type Value,
  value,
} from "../lib/mod.ts";

const SOLO5_NO_MUEN = ["hvt", "spt", "virtio", "genode"];

/** The XenStore id of block number `n` (what mirage-block-xen's front end connects to). */
export function xenstoreId(n: number): number {
  return n < 16 ? (202 << 8) | (n << 4) : (1 << 28) | (n << 8);
}

function fileBlock(file: string, packageName: "unix" | "solo5" | "unikraft"): Impl<"block"> {
  const packages = {
    unix: pkg("mirage-block-unix", { min: "2.12.0", max: "3.0.0" }),
    solo5: pkg("mirage-block-solo5", { min: "0.8.0", max: "0.9.0" }),
    unikraft: pkg("mirage-block-unikraft", { min: "1.0.0", max: "2.0.0" }),
  };
  return impl("Block", block, {
    packages: [packages[packageName]],
    connect: (_i, m) => `${m}.connect ${JSON.stringify(file)}`,
    configure: (_i, io) => void io.registerBlock(file),
    targets: packageName === "solo5" ? SOLO5_NO_MUEN : undefined,
  });
}

function xenFileBlock(file: string): Impl<"block"> {
  return impl("Block", block, {
    packages: [pkg("mirage-block-xen", { min: "2.1.0", max: "3.0.0", sublibs: ["front"] })],
    connect: (info, m) => `${m}.connect "${xenstoreId(info.blockNumber(file) ?? 1)}"`,
    configure: (_i, io) => void io.registerBlock(file),
  });
}

/**
 * A raw block device backed by `file`: opened from the current directory on Unix, the tender's
 * block device of that name on Solo5, a Xen virtual disk on Xen. Not available on Muen.
 */
export function blockOfFile(file: string): Impl<"block"> {
  checkArgs(blockOfFile, [file], [["file", STRING]]);
  return matchImpl(Key.family, {
    solo5: fileBlock(file, "solo5"),
    xen: xenFileBlock(file),
    unikraft: fileBlock(file, "unikraft"),
  }, fileBlock(file, "unix"));
}

/** A Xen virtual disk by XenStore id or device path (`"51760"`, `"/dev/xvdi1"`). Xen only. */
export function blockOfXenstoreId(id: string): Impl<"block"> {
  checkArgs(blockOfXenstoreId, [id], [["id", STRING]]);
  return impl("Block", block, {
    packages: [pkg("mirage-block-xen", { min: "2.1.0", max: "3.0.0", sublibs: ["front"] })],
    connect: (_i, m) => `${m}.connect ${JSON.stringify(id)}`,
    targets: ["xen", "qubes"],
  });
}

/** An in-memory block device. */
export function ramdisk(name: string): Impl<"block"> {
  checkArgs(ramdisk, [name], [["name", STRING]]);
  return impl("Ramdisk", block, {
    packages: [pkg("mirage-block-ramdisk")],
    connect: (_i, m) => `${m}.connect ~name:${JSON.stringify(name)}`,
  });
}

/** The kinds of block device {@link genericBlock} chooses from. */
export type BlockKind = "xenstore" | "file" | "ramdisk";

/** Options of {@link genericBlock}. */
export interface GenericBlockOptions {
  /** Prefix of the key's flag (`--<group>-block`). */
  readonly group?: string;
  /** The value choosing the kind (default: the `block` key). */
  readonly key?: Value<BlockKind>;
}

/** The `--[group-]block=xenstore|file|ramdisk` configure key (default `ramdisk`). */
export function blockKey(group?: string): Key<BlockKind> {
  return key({
    name: group ? `${group}-block` : "block",
    type: "enum",
    values: ["xenstore", "file", "ramdisk"] as BlockKind[],
    default: "ramdisk",
    doc: `Block device kind${group ? ` for ${group}` : ""}: a XenStore id, a file or a RAM disk.`,
  });
}

/** A block device named `name` whose kind is chosen at configure time. */
export function genericBlock(name: string, options: GenericBlockOptions = {}): Impl<"block"> {
  checkArgs(genericBlock, [name, options], [["name", STRING], [
    "options",
    optionsOf({ group: STRING, key: VALUE }),
  ]]);
  const kind = options.key ?? value(blockKey(options.group));
  return matchImpl(kind, {
    xenstore: blockOfXenstoreId(name),
    file: blockOfFile(name),
  }, ramdisk(name));
}

/** What the key of {@link ccmBlock} must be. */
const CCM_KEY: Expect = {
  what: 'a runtime argument giving the key as a hex string (runtimeArg<string>("Unikernel.key"))',
  test: (v) => v instanceof RuntimeArgClass,
};

/** Options of {@link ccmBlock}. */
export interface CcmBlockOptions {
  /** Nonce length in bytes (the library's default if absent). */
  readonly nonceLen?: number;
}

/**
 * An AES-CCM encrypted view of `device` (half its size), keyed by a boot argument whose term
 * gives the key as a hex string (an optional `0x` prefix is accepted): an OCaml
 * `string Cmdliner.Term.t`, declared `runtimeArg<string>("Unikernel.key")`. mirage 4.9 documents
 * the key as a `string option runtime_arg`, but its connect code reads it as a string (its
 * length, its `0x` prefix), so an optional term does not compile; `RuntimeArg<string | undefined>`
 * is refused by the type-check for that reason.
 */
export function ccmBlock(
  keyArg: RuntimeArg<string>,
  device: Impl<"block">,
  options: CcmBlockOptions = {},
): Impl<"block"> {
  checkArgs(ccmBlock, [keyArg, device, options], [["key", CCM_KEY], ["device", deviceOf(block)], [
    "options",
    optionsOf({ nonceLen: NUMBER }),
  ]]);
  // Printed as mirage 4.9 prints it: an OCaml option in parentheses, `(None)` or `(Some 12)`.
  const nonce = options.nonceLen === undefined ? "(None)" : `(Some ${options.nonceLen})`;
  const functor = impl("Block_ccm.Make", fn(block, block), {
    packages: [pkg("mirage-block-ccm", { min: "2.0.0", max: "3.0.0" })],
    runtimeArgs: [keyArg],
    // mirage 4.9's connect expression, line for line (indented relative to its first line).
    connect: (_i, m, [b, k]) =>
      [
        `let key = ${k} in`,
        "let key =",
        '  if String.length key >= 2 && String.(equal "0x" (sub key 0 2)) then',
        "    String.sub key 2 (String.length key - 2)",
        "  else",
        "    key",
        "in",
        `${m}.connect ?nonce_len:${nonce} ~key:(Cstruct.of_hex key) ${b}`,
      ].join("\n"),
  });
  return apply(functor, device);
}

// The argument checks are imported last: main.ml's `# line` directives cite the lines of
// this file's devices, which must not move.
import {
  checkArgs,
  deviceOf,
  type Expect,
  NUMBER,
  optionsOf,
  STRING,
  VALUE,
} from "../lib/dsl/args.ts";
import { RuntimeArg as RuntimeArgClass } from "../lib/dsl/runtime_arg.ts";
