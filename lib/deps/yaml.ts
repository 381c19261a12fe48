/**
 * yaml, for registry index files.
 * @module
 */

// unik runs without its deno.json (installed, compiled, or in the sandbox process, which starts
// with --no-config), so its dependencies are named by full specifier, in this one folder.
export { default as YAML } from "npm:yaml@^2";
