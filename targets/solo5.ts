/**
 * The Solo5 family: `hvt`, `spt`, `virtio`, `muen` and `genode`, cross-compiled with
 * ocaml-solo5 in a dune context named `solo5` and linked for the tender's ABI. Each gets a
 * Solo5 manifest listing the graph's network and block devices.
 * @module
 */

import { pkg } from "../lib/dsl/package.ts";
import {
  compactList,
  librariesField,
  OCAML_FLAGS,
  renameRule,
} from "../lib/codegen/dune_layout.ts";
import type { Resources, Target, TargetInfo } from "../lib/target.ts";
import { checkResourceName, requireField } from "../lib/validate/mod.ts";
import { virtioLibvirtXml } from "./libvirt.ts";
import type { Launcher } from "../lib/toolchain/launch.ts";
import { tender } from "../lib/toolchain/solo5.ts";
import { qemu } from "../lib/toolchain/qemu.ts";

/** Build-only switch packages of every target cross-compiled with ocaml-solo5. */
export const SOLO5_TOOLCHAIN_PACKAGES = [
  pkg("ocaml-solo5", { min: "0.8.2", max: "2.0.0", scope: "switch", build: true }),
  pkg("solo5", { min: "0.7.5", max: "0.10.0", scope: "switch", build: true }),
];

/** The dune-workspace context of the ocaml-solo5 cross-compiler. */
export const SOLO5_CONTEXT = `(context (default
  (name solo5)
  (host default)
  (toolchain solo5)
  (merlin)
  (disable_dynamically_linked_foreign_archives true)
  ))`;

/**
 * Checks the names of registered networks and blocks: they are written into the manifest,
 * Xen's `.xl` files (inside `'...'`, which `xl create` reads) and tender command lines.
 */
export function checkResources(resources: Resources): void {
  for (const n of resources.networks) requireField("network name", n, checkResourceName);
  for (const b of resources.blocks) requireField("block device name", b.name, checkResourceName);
}

/** The Solo5 manifest: the devices the tender must provide, by name. */
export function manifestJson(resources: Resources | undefined): string {
  if (resources) checkResources(resources);
  const devices = resources
    ? [
      ...resources.networks.map((n) => `{ "name": ${JSON.stringify(n)}, "type": "NET_BASIC" }`),
      ...resources.blocks.map((b) =>
        `{ "name": ${JSON.stringify(b.name)}, "type": "BLOCK_BASIC" }`
      ),
    ]
    : [];
  return `{
  "type": "solo5.manifest",
  "version": 1,
  "devices": [ ${devices.join(", ")} ]
}
`;
}

/** The manifest files; `resources` undefined lists no device (Xen). */
export function manifestFiles(resources: Resources | undefined): Map<string, string> {
  return new Map([["manifest.json", manifestJson(resources)], ["manifest.ml", ""]]);
}

/** The executable, manifest and rename stanzas of a Solo5-ABI target. */
export function solo5Dune(info: TargetInfo, abi: string, extension: string): string[] {
  const executable = `(executable
 (enabled_if (= %{context_name} "solo5"))
 (name ${info.mainModule})
 (modes (native exe))
 (libraries ${librariesField(info.libraries)})
 (link_flags ${compactList("link_flags", OCAML_FLAGS.split(" "))} -cclib "-z solo5-abi=${abi}")
 (modules (:standard \\ manifest))
 (foreign_stubs (language c) (names manifest))
)`;
  const manifest = `(rule
 (targets manifest.c)
 (deps manifest.json)
 (action
  (run solo5-elftool gen-manifest manifest.json manifest.c)))`;
  return [
    executable,
    manifest,
    renameRule(`${info.publicName}${extension}`, "solo5", info.mainModule),
  ];
}

const LAUNCHERS: Record<string, Launcher> = {
  hvt: (input) => tender("hvt", input),
  spt: (input) => tender("spt", input),
  virtio: (input) => qemu("virtio", input),
};

const NO_LAUNCH: Record<string, string> = {
  muen: "a Muen unikernel runs as a subject of a Muen system policy: add the artifact to yours",
  genode: "a Genode unikernel runs as a component of a Genode system: load the artifact there",
};

function solo5Target(name: string, description: string): Target {
  const extension = `.${name}`;
  return {
    name,
    family: "solo5",
    description,
    osModule: "Solo5_os",
    context: "solo5",
    extension,
    packages: [
      ...SOLO5_TOOLCHAIN_PACKAGES,
      pkg("mirage-solo5", { min: "0.10.0", max: "0.11.0" }),
    ],
    workspaceContexts: [SOLO5_CONTEXT],
    dune: (info) => solo5Dune(info, name, extension),
    install: (info) => {
      const out = `${info.publicName}${extension}`;
      return { bin: [[out, out]], etc: [] };
    },
    files: (info, resources) => {
      const files = manifestFiles(resources);
      if (name === "virtio") files.set(`${info.name}_libvirt.xml`, virtioLibvirtXml(info.name));
      return files;
    },
    launch: LAUNCHERS[name],
    noLaunch: NO_LAUNCH[name],
  };
}

/** The Solo5 targets. */
export const solo5Targets: readonly Target[] = [
  solo5Target("virtio", "a virtio guest (QEMU/KVM, cloud VMs)"),
  solo5Target("hvt", "the Solo5 hardware-virtualised tender (solo5-hvt, KVM/bhyve/vmm)"),
  solo5Target("muen", "a Muen separation-kernel subject"),
  solo5Target("genode", "a Genode component"),
  solo5Target("spt", "the Solo5 sandboxed-process tender (solo5-spt, seccomp)"),
];
