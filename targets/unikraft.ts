/**
 * The Unikraft family (mirage 4.10+): `unikraft-qemu` and `unikraft-firecracker`, built with
 * ocaml-unikraft in a dune context named `unikraft` for the chosen VMM backend.
 * @module
 */

import { pkg } from "../lib/dsl/package.ts";
import {
  compactList,
  librariesField,
  OCAML_FLAGS,
  renameRule,
} from "../lib/codegen/dune_layout.ts";
import type { Target, TargetInfo } from "../lib/target.ts";
import { qemu } from "../lib/toolchain/qemu.ts";
import { firecracker } from "../lib/toolchain/firecracker.ts";

function unikraftTarget(
  backend: "qemu" | "firecracker",
  extension: string,
  description: string,
): Target {
  const dune = (info: TargetInfo) => [
    `(executable
 (enabled_if (= %{context_name} "unikraft"))
 (name ${info.mainModule})
 (modes (native exe))
 (libraries ${librariesField(info.libraries)})
 (link_flags ${compactList("link_flags", OCAML_FLAGS.split(" "))}))`,
    renameRule(`${info.publicName}${extension}`, "unikraft", info.mainModule),
  ];
  return {
    name: `unikraft-${backend}`,
    family: "unikraft",
    description,
    osModule: "Unikraft_os",
    context: "unikraft",
    extension,
    packages: [
      pkg("ocaml-unikraft", { min: "1.0.0", max: "2.0.0", scope: "switch", build: true }),
      pkg("mirage-unikraft", { min: "1.0.0", max: "2.0.0" }),
      pkg(`ocaml-unikraft-backend-${backend}`, { scope: "switch", build: true }),
    ],
    workspaceContexts: [`(context
 (default
  (name unikraft)
  (host default)
  (toolchain unikraft)
  (env
   (_
    (flags :standard -cclib "-z unikraft-backend=${backend}")
    (c_flags :standard -z unikraft-backend=${backend})))
  (merlin)
  (disable_dynamically_linked_foreign_archives true)))`],
    dune,
    install: (info) => {
      const out = `${info.publicName}${extension}`;
      return { bin: [[out, out]], etc: [] };
    },
    files: () => new Map(),
    launch: backend === "qemu" ? (input) => qemu("unikraft", input) : firecracker,
  };
}

/** The Unikraft targets. */
export const unikraftTargets: readonly Target[] = [
  unikraftTarget("qemu", ".qemu", "a Unikraft guest for QEMU"),
  unikraftTarget("firecracker", ".fc", "a Unikraft guest for Firecracker"),
];
