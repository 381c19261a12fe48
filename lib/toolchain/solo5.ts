/**
 * Solo5 tenders: `solo5-hvt` and `solo5-spt` start a unikernel with its network and block
 * devices attached by their manifest names, in solo5's own option syntax.
 * @module
 */

import type { Launch, LaunchInput } from "./launch.ts";

/**
 * `solo5-<tender> --mem=MB --net:NAME=IFACE [--net-mac:NAME=MAC]... --block:NAME=PATH
 * [--block-sector-size:NAME=N]... -- ARTIFACT ARGS`.
 */
export function tender(kind: "hvt" | "spt", input: LaunchInput): Launch {
  return {
    command: {
      tool: `solo5-${kind}`,
      args: [
        `--mem=${input.memory}`,
        ...input.networks.flatMap((n) => [
          `--net:${n.name}=${n.iface}`,
          ...(n.mac ? [`--net-mac:${n.name}=${n.mac}`] : []),
        ]),
        ...input.blocks.flatMap((b) => [
          `--block:${b.name}=${b.path}`,
          ...(b.sectorSize ? [`--block-sector-size:${b.name}=${b.sectorSize}`] : []),
        ]),
        "--",
        input.artifact,
        ...input.args,
      ],
      cwd: input.root,
    },
  };
}
