/**
 * dax, for running opam, dune and the tenders.
 * @module
 */

// unik runs without its deno.json (installed, compiled, or in the sandbox process, which starts
// with --no-config), so its dependencies are named by full specifier, in this one folder.
export { default as $ } from "npm:dax@^0.49.0";
