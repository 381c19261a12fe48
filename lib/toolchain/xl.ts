/**
 * xl: creates a Xen guest from an xl configuration, with the console attached.
 * @module
 */

import type { Launch, LaunchInput } from "./launch.ts";

/** `xl create -c <xl file> memory=MB 'extra="ARGS"'`. */
export function xlCreate(
  xlFile: string,
  input: LaunchInput,
  files?: Map<string, string>,
  cwd: string = input.root,
): Launch {
  const extra = input.args.length ? [`extra="${input.args.join(" ").replace(/"/g, '\\"')}"`] : [];
  return {
    command: {
      tool: "xl",
      args: ["create", "-c", xlFile, `memory=${input.memory}`, ...extra],
      cwd,
    },
    files,
  };
}
