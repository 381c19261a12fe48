/**
 * cmd-ts, for the command line's subcommands, flags and help.
 * @module
 */

// unik runs without its deno.json (installed, compiled, or in the sandbox process, which starts
// with --no-config), so its dependencies are named by full specifier, in this one folder.
export * from "npm:cmd-ts@^0.15.0";
