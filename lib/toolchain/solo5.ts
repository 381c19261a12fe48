/**
 * Solo5 tenders: `solo5-hvt` and `solo5-spt` start a unikernel with its network and block
 * devices attached by their manifest names.
 * @module
 */

import type { Launch, LaunchInput } from "./launch.ts";

/** `solo5-<tender> --mem=MB --net:NAME=TAP... --block:NAME=FILE... -- ARTIFACT ARGS`. */
export function tender(kind: "hvt" | "spt", input: LaunchInput): Launch {
  return {
    command: {
      tool: `solo5-${kind}`,
      args: [
        `--mem=${input.memory}`,
        ...input.networks.map(([name, tap]) => `--net:${name}=${tap}`),
        ...input.blocks.map(([name, file]) => `--block:${name}=${file}`),
        "--",
        input.artifact,
        ...input.args,
      ],
      cwd: input.root,
    },
  };
}
