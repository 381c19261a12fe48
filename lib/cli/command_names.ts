/**
 * unik's commands and their one-line descriptions (plain data, cheap to load).
 * @module
 */

/** Every command, with its description. */
export const COMMANDS: Record<string, string> = {
  init: "Create a unikernel project: config.ts, unikernel.ml, .gitignore and deno.json (editor).",
  configure:
    "Configure a unikernel: generate main.ml, the dune files, the opam file and a Makefile.",
  query: "Print one generated file or fact (name, packages, opam, files, ...) without writing.",
  describe: "Describe a unikernel: its name and keys, or its device graph with --dot.",
  build: "Configure, then lock, install and pull the dependencies and build with dune.",
  run: "Build, then start the unikernel with its devices attached (boot arguments after --).",
  clean: "Remove the files configure generated (never a file of yours).",
  check: "Type-check config.ts with deno check.",
  migrate: "Write the config.ts equivalent to a mirage config.ml, then configure it.",
  plugin: "Find plugins in registries and lock them: search, add, remove, list, verify, update.",
  help: "Show help about unik or one of its commands.",
};
