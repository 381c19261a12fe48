/**
 * The Unix family: `unix` and `macosx` build a host executable in dune's default context,
 * linked with mirage-unix (`Unix_os`).
 * @module
 */

import { pkg } from "../lib/dsl/package.ts";
import { librariesField, OCAML_FLAGS, renameRule } from "../lib/codegen/dune_layout.ts";
import type { Target, TargetInfo } from "../lib/target.ts";
import { join } from "node:path";

function unixDune(info: TargetInfo): string[] {
  const executable = `(executable
 (name ${info.mainModule})
 (libraries ${librariesField(info.libraries)})
 (link_flags (-thread))
 (flags ${OCAML_FLAGS})
 (enabled_if (= %{context_name} "default"))
)`;
  return [renameRule(info.publicName, "default", info.mainModule), executable];
}

function unixTarget(name: string, description: string): Target {
  return {
    name,
    family: "unix",
    description,
    osModule: "Unix_os",
    context: "default",
    extension: "",
    packages: [pkg("mirage-unix", { min: "5.0.0", max: "6.0.0" })],
    workspaceContexts: [],
    dune: unixDune,
    install: (info) => ({ bin: [[info.publicName, info.publicName]], etc: [] }),
    files: () => new Map(),
    launch: (input) => ({
      command: { tool: join(input.root, input.artifact), args: [...input.args], cwd: input.root },
    }),
  };
}

/** The Unix-family targets. */
export const unixTargets: readonly Target[] = [
  unixTarget("unix", "a Unix process (Linux, BSD)"),
  unixTarget("macosx", "a macOS process"),
];
