/**
 * sha256 through WebCrypto. node:crypto would do it synchronously, but loading it costs more
 * than a whole replayed configure may take.
 * @module
 */

const encoder = new TextEncoder();

/** The sha256 of a text or of bytes, lower-case hex. */
export async function sha256(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as BufferSource));
  let hex = "";
  for (const b of digest) hex += b.toString(16).padStart(2, "0");
  return hex;
}
