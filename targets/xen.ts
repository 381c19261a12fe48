/**
 * The Xen family: `xen` and `qubes` PVH guests, linked with mirage-xen and built with the
 * ocaml-solo5 toolchain (Solo5's Xen ABI). Xen also gets `.xl` files for `xl create` and a
 * libvirt description.
 * @module
 */

import { pkg } from "../lib/dsl/package.ts";
import type { Resources, Target, TargetInfo } from "../lib/target.ts";
import { xenLibvirtXml } from "./libvirt.ts";
import { join } from "node:path";
import { xlCreate } from "../lib/toolchain/xl.ts";
import {
  checkResources,
  manifestFiles,
  SOLO5_CONTEXT,
  SOLO5_TOOLCHAIN_PACKAGES,
  solo5Dune,
} from "./solo5.ts";

/** Linux's name of block device `n` (0 is `a`, 26 is `aa`), as Xen's `vdev` wants it. */
export function diskLetters(n: number): string {
  const high = Math.floor(n / 26) - 1;
  const low = String.fromCharCode("a".charCodeAt(0) + (n % 26));
  return (high >= 0 ? diskLetters(high) : "") + low;
}

/** An `xl` configuration; `concrete` false keeps `@VARIABLE@` placeholders (the `.xl.in`). */
export function xlFile(
  info: Pick<TargetInfo, "name" | "bridge">,
  resources: Resources,
  concrete: boolean,
): string {
  checkResources(resources);
  const v = (placeholder: string, value: string) => (concrete ? value : `@${placeholder}@`);
  const disks = resources.blocks.map((b) =>
    `'format=raw, vdev=xvd${diskLetters(b.number)}, access=rw, target=${
      v(`BLOCK:${b.name}`, b.name)
    }'`
  );
  const vifs = resources.networks.map((n, i) =>
    `'bridge=${v(`NETWORK:${n}`, `${info.bridge}${i}`)}'`
  );
  return [
    `name = '${v("NAME", info.name)}'`,
    `kernel = '${v("KERNEL", `${info.name}.xen`)}'`,
    "type = 'pvh'",
    `memory = ${v("MEMORY", "256")}`,
    "on_crash = 'preserve'",
    "",
    `disk = [ ${disks.join(", ")} ]`,
    "",
    "# if your system uses openvswitch then either edit /etc/xen/xl.conf and set",
    '#     vif.default.script="vif-openvswitch"',
    '# or add "script=vif-openvswitch," before the "bridge=" below:',
    `vif = [ ${vifs.join(", ")} ]`,
    "",
  ].join("\n");
}

function xenTarget(name: "xen" | "qubes", description: string): Target {
  return {
    name,
    family: "xen",
    description,
    osModule: "Xen_os",
    context: "solo5",
    extension: ".xen",
    packages: [...SOLO5_TOOLCHAIN_PACKAGES, pkg("mirage-xen", { min: "9.0.0", max: "10.0.0" })],
    workspaceContexts: [SOLO5_CONTEXT],
    dune: (info) => solo5Dune(info, "xen", ".xen"),
    install: (info) => {
      const out = `${info.publicName}.xen`;
      const etc = name === "xen" ? [`${info.name}.xl`, `${info.name}.xl.in`] : [];
      return { bin: [[out, out]], etc };
    },
    files: (info, resources) => {
      // Xen discovers its devices through XenStore: the Solo5 manifest lists none.
      const files = manifestFiles(undefined);
      if (name === "xen") {
        files.set(`${info.name}.xl`, xlFile(info, resources, true));
        files.set(`${info.name}.xl.in`, xlFile(info, resources, false));
        files.set(`${info.name}_libvirt.xml`, xenLibvirtXml(info.name));
      }
      return files;
    },
    launch: (input) => {
      if (name === "xen") {
        // The xl file names the kernel relative to dist/, where both are promoted.
        const dist = join(input.root, "dist");
        return xlCreate(join(dist, `${input.name}.xl`), input, undefined, dist);
      }
      // Qubes has no xl file of its own: write one for this run.
      const resources = {
        networks: input.networks.map((n) => n.name),
        blocks: input.blocks.map((b, i) => ({ name: b.name, number: i + 1 })),
      };
      const path = join(input.scratch, `${input.name}.xl`);
      const xl = xlFile({ name: input.name, bridge: "br" }, resources, true)
        .replace(`kernel = '${input.name}.xen'`, `kernel = '${join(input.root, input.artifact)}'`);
      return xlCreate(path, input, new Map([[path, xl]]));
    },
  };
}

/** The Xen targets. */
export const xenTargets: readonly Target[] = [
  xenTarget("xen", "a Xen PVH guest"),
  xenTarget("qubes", "a Qubes OS qube (Xen, configured through QubesDB)"),
];
