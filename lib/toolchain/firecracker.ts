/**
 * Firecracker: boots Unikraft unikernels from a VM configuration file unik writes.
 * @module
 */

import { join } from "node:path";
import type { Launch, LaunchInput } from "./launch.ts";

/** The Firecracker VM configuration of a unikernel. */
export function vmConfig(input: LaunchInput): string {
  return JSON.stringify(
    {
      "boot-source": {
        kernel_image_path: join(input.root, input.artifact),
        boot_args: input.args.join(" "),
      },
      drives: input.blocks.map((b) => ({
        drive_id: b.name,
        path_on_host: b.path,
        is_root_device: false,
        is_read_only: false,
      })),
      "machine-config": { vcpu_count: 1, mem_size_mib: input.memory },
      "network-interfaces": input.networks.map((n, i) => ({
        iface_id: `net${i}`,
        host_dev_name: n.iface,
        ...(n.mac ? { guest_mac: n.mac } : {}),
      })),
    },
    null,
    2,
  ) + "\n";
}

/** `firecracker --no-api --config-file <scratch>/vm.json`. */
export function firecracker(input: LaunchInput): Launch {
  const config = join(input.scratch, `${input.name}.firecracker.json`);
  return {
    command: { tool: "firecracker", args: ["--no-api", "--config-file", config], cwd: input.root },
    files: new Map([[config, vmConfig(input)]]),
  };
}
