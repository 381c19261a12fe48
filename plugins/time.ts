/**
 * Sleep, POSIX clock and monotonic clock. In MirageOS 4.9 these are jobs: the unikernel calls
 * `Mirage_sleep`, `Mirage_ptime` and `Mirage_mtime` directly, and the target picks the
 * implementation through a sub-library (`.unix`, `.solo5`, `.unikraft`).
 * @module
 */

import { type Impl, impl, job, Key, matchImpl, pkg } from "../lib/mod.ts";

interface ClockPackage {
  readonly module: string;
  readonly opam: string;
  readonly min: string;
  readonly max: string;
  readonly unikraftMin: string;
}

const SLEEP: ClockPackage = {
  module: "Mirage_sleep",
  opam: "mirage-sleep",
  min: "4.0.0",
  max: "5.0.0",
  unikraftMin: "4.1.0",
};
const PTIME: ClockPackage = {
  module: "Mirage_ptime",
  opam: "mirage-ptime",
  min: "5.0.0",
  max: "6.0.0",
  unikraftMin: "5.1.0",
};
const MTIME: ClockPackage = {
  module: "Mirage_mtime",
  opam: "mirage-mtime",
  min: "5.0.0",
  max: "6.0.0",
  unikraftMin: "5.2.0",
};

function withSublib(p: ClockPackage, sublib: string, min = p.min): Impl<"job"> {
  return impl(p.module, job, {
    packages: [pkg(p.opam, { min, max: p.max, sublibs: ["", sublib] })],
  });
}

/** The target's implementation: `.unix` on Unix, `.unikraft` on Unikraft, `.solo5` elsewhere. */
function byTarget(p: ClockPackage): Impl<"job"> {
  return matchImpl(Key.family, {
    unix: withSublib(p, "unix"),
    unikraft: withSublib(p, "unikraft", p.unikraftMin),
  }, withSublib(p, "solo5"));
}

function none(): Impl<"job"> {
  return impl("Mirage_runtime", job);
}

/** `Mirage_sleep` for the target. */
export const defaultSleep: Impl<"job"> = byTarget(SLEEP);
/** No sleep job (a sleep library is still linked for the start-up delay). */
export const noSleep: Impl<"job"> = none();
/** `Mirage_ptime` for the target. */
export const defaultPtime: Impl<"job"> = byTarget(PTIME);
/** No POSIX clock job. */
export const noPtime: Impl<"job"> = none();
/** A settable POSIX clock for tests (`Mirage_ptime_set`). */
export const mockPtime: Impl<"job"> = withSublib(PTIME, "mock");
/** `Mirage_mtime` for the target. */
export const defaultMtime: Impl<"job"> = byTarget(MTIME);
/** No monotonic clock job. */
export const noMtime: Impl<"job"> = none();
/** A settable monotonic clock for tests (`Mirage_mtime_set`). */
export const mockMtime: Impl<"job"> = withSublib(MTIME, "mock");
