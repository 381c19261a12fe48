/**
 * zod, for validating everything that crosses a trust boundary.
 * @module
 */

// unik runs without its deno.json (installed, compiled, or in the sandbox process, which starts
// with --no-config), so its dependencies are named by full specifier, in this one folder.
export { z } from "npm:zod@^4";
