/**
 * The tender options of `unik run`, spelt as solo5's tenders spell them: `--mem=MB`,
 * `--net:NAME=IFACE`, `--net-mac:NAME=MAC`, `--block:NAME=PATH` and
 * `--block-sector-size:NAME=N`. They are read off the command line before the option parser
 * (which knows no `--net:NAME` form), validated here, and kept apart from the configure keys:
 * `--net=socket` is the stack's key, `--net:service=tap0` a tender attachment.
 * @module
 */

import { usageError } from "../errors.ts";

/** Tender options, by device name where they concern a device. */
export interface TenderOptions {
  /** Memory in MiB. */
  readonly mem?: number;
  /** Network device name to host interface (tap). */
  readonly nets?: Readonly<Record<string, string>>;
  /** Network device name to the MAC address the guest gets. */
  readonly netMacs?: Readonly<Record<string, string>>;
  /** Block device name to image file. */
  readonly blocks?: Readonly<Record<string, string>>;
  /** Block device name to sector size in bytes. */
  readonly blockSectorSizes?: Readonly<Record<string, number>>;
}

/** The tender options in `unik run --help` (the option parser does not know them). */
export const TENDER_HELP: string = [
  "Tender options (solo5's syntax; every device of the manifest must be attached):",
  "  --mem=MB                      memory of the unikernel in MiB (default 512)",
  "  --net:NAME=IFACE              attach network device NAME to the host interface IFACE",
  "  --net-mac:NAME=MAC            the MAC address of network device NAME",
  "  --block:NAME=PATH             attach block device NAME to the image file PATH",
  "  --block-sector-size:NAME=N    the sector size of block device NAME, in bytes",
  "--net=VALUE (no NAME) is the stack's configure key.",
].join("\n");

/** The per-device tender options, their flag names and how each value is checked. */
const DEVICE_OPTIONS = {
  net: { field: "nets", value: "IFACE", check: checkInterface },
  "net-mac": { field: "netMacs", value: "MAC", check: checkMac },
  block: { field: "blocks", value: "PATH", check: checkPath },
  "block-sector-size": { field: "blockSectorSizes", value: "N", check: checkSectorSize },
} as const;

type DeviceFlag = keyof typeof DEVICE_OPTIONS;

/** Solo5 device names: what a manifest may hold (letters, digits, `_`, `-`, `.`). */
const DEVICE_NAME = /^[A-Za-z0-9_.-]{1,67}$/;

/** A Linux interface name: at most 15 bytes, no `/`, `:`, `=`, `,` or white space. */
function checkInterface(value: string): string | undefined {
  return /^[A-Za-z0-9_.-]{1,15}$/.test(value)
    ? undefined
    : "a host network interface name (at most 15 letters, digits, '_', '-' or '.')";
}

function checkMac(value: string): string | undefined {
  return /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/.test(value)
    ? undefined
    : "a MAC address (six hexadecimal pairs separated by ':')";
}

function checkPath(value: string): string | undefined {
  // A NUL or newline would not survive the tender's own parsing or `--print`.
  return value !== "" && !/[\0\n]/.test(value) ? undefined : "a file path";
}

function checkSectorSize(value: string): string | undefined {
  const n = Number(value);
  return /^[1-9]\d*$/.test(value) && n >= 512 && n % 512 === 0
    ? undefined
    : "a sector size in bytes (a multiple of 512)";
}

/** `--mem`: a positive number of MiB. */
function parseMem(value: string): number {
  if (!/^[1-9]\d{0,6}$/.test(value)) {
    throw usageError(`--mem=${value}: expected a number of MiB (such as --mem=512)`);
  }
  return Number(value);
}

/** The tender options of `argv` and the arguments left for the option parser. */
export function extractTenderOptions(
  argv: readonly string[],
): { tender: TenderOptions; rest: string[] } {
  let mem: number | undefined;
  const fields: Record<string, Record<string, string | number>> = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--mem" || arg.startsWith("--mem=")) {
      const value = arg === "--mem" ? argv[++i] : arg.slice("--mem=".length);
      if (value === undefined) throw usageError("--mem needs a value: --mem=MB");
      mem = parseMem(value);
      continue;
    }
    const m = /^--(net|net-mac|block|block-sector-size):(.*)$/.exec(arg);
    if (!m) {
      rejectOldForm(arg, argv[i + 1]);
      rest.push(arg);
      continue;
    }
    const flag = m[1] as DeviceFlag;
    const spec = DEVICE_OPTIONS[flag];
    const eq = m[2].indexOf("=");
    const usage = `--${flag}:NAME=${spec.value}`;
    if (eq < 0) throw usageError(`${arg}: expected ${usage}`);
    const name = m[2].slice(0, eq);
    const value = m[2].slice(eq + 1);
    if (!DEVICE_NAME.test(name)) {
      throw usageError(`${arg}: '${name}' is not a device name`, {
        hint: `expected ${usage}, NAME being a device of the unikernel's manifest`,
      });
    }
    const problem = spec.check(value);
    if (problem) throw usageError(`${arg}: '${value}' is not ${problem}`);
    (fields[spec.field] ??= {})[name] = flag === "block-sector-size" ? Number(value) : value;
  }
  return { tender: { ...(mem === undefined ? {} : { mem }), ...fields }, rest };
}

/** `--net NAME=TAP` and `--block NAME=FILE`, unik's former spelling, say what replaced them. */
function rejectOldForm(arg: string, next: string | undefined): void {
  const m = /^--(net|block)(?:=(.*))?$/.exec(arg);
  if (!m) return;
  const value = m[2] ?? next;
  if (value === undefined || !value.includes("=")) return;
  const [name, ...target] = value.split("=");
  throw usageError(
    `${arg}${m[2] === undefined ? ` ${value}` : ""}: tender options take the form --${m[1]}:NAME=${
      m[1] === "net" ? "IFACE" : "PATH"
    }`,
    {
      hint: `write --${m[1]}:${name}=${target.join("=")}${
        m[1] === "net" ? "; --net=VALUE alone is the stack's configure key (host, socket, ...)" : ""
      }`,
    },
  );
}

/** `over` on top of `base`: a device's option given again replaces the earlier one. */
export function mergeTenderOptions(base: TenderOptions, over: TenderOptions): TenderOptions {
  const merged: Record<string, unknown> = { ...base };
  if (over.mem !== undefined) merged.mem = over.mem;
  for (const { field } of Object.values(DEVICE_OPTIONS)) {
    const b = base[field] as Record<string, unknown> | undefined;
    const o = over[field] as Record<string, unknown> | undefined;
    if (o) merged[field] = { ...b, ...o };
  }
  return merged as TenderOptions;
}

/** The tender options as command-line arguments (for describe and error messages). */
export function showTenderOptions(t: TenderOptions): string[] {
  const out = t.mem === undefined ? [] : [`--mem=${t.mem}`];
  for (const [flag, { field }] of Object.entries(DEVICE_OPTIONS)) {
    for (const [name, value] of Object.entries(t[field] ?? {})) {
      out.push(`--${flag}:${name}=${value}`);
    }
  }
  return out;
}

/**
 * Checks tender options read back from a file (the saved context): the same rules as on the
 * command line. Returns the options, or throws naming the option and its value.
 */
export function validTenderOptions(data: unknown, where: string): TenderOptions {
  const isRecord = (x: unknown): x is Record<string, unknown> =>
    typeof x === "object" && x !== null && !Array.isArray(x);
  if (!isRecord(data)) throw usageError(`${where}: the saved tender options are not an object`);
  const argv: string[] = [];
  if (data.mem !== undefined) argv.push(`--mem=${data.mem}`);
  for (const [flag, { field }] of Object.entries(DEVICE_OPTIONS)) {
    const entries = data[field];
    if (entries === undefined) continue;
    if (!isRecord(entries)) throw usageError(`${where}: the saved ${field} are not an object`);
    for (const [name, value] of Object.entries(entries)) argv.push(`--${flag}:${name}=${value}`);
  }
  const known = new Set(["mem", ...Object.values(DEVICE_OPTIONS).map((o) => o.field)]);
  const unknown = Object.keys(data).filter((k) => !known.has(k));
  if (unknown.length) throw usageError(`${where}: unknown saved tender option ${unknown[0]}`);
  try {
    return extractTenderOptions(argv).tender;
  } catch (e) {
    throw usageError(`${where}: the saved tender option ${(e as Error).message}`, {
      hint: "give the option again on the command line, or remove the file (unik clean)",
    });
  }
}
