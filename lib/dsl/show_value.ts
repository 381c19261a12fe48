/**
 * How messages name a value that is not what was expected: `undefined`, `the string "x"`, `an
 * object`; a device names itself (see `Impl.describe`).
 * @module
 */

/** A short description of `v` by its kind, for a message saying it is the wrong thing. */
export function showValue(v: unknown): string {
  if (v === undefined || v === null) return String(v);
  if (typeof v === "string") {
    return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 39)}…` : v)}`;
  }
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") {
    return `the ${typeof v} ${v}`;
  }
  if (Array.isArray(v)) return "an array";
  if (typeof v === "function") return "a function";
  const name = (v as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === "string" && name !== "Object" ? `a ${name}` : "an object";
}
