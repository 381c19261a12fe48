/**
 * unik's version, written into generated file headers and printed by `--version`.
 * @module
 */

/** The version of this unik. */
export const UNIK_VERSION = "0.1.0";
