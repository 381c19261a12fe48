/**
 * QEMU: boots virtio (Solo5) and Unikraft unikernels, with tap networking and raw disks.
 * @module
 */

import type { Launch, LaunchInput } from "./launch.ts";

/** The machine flavour: Solo5's virtio, or Unikraft's (q35, PCI devices). */
export type QemuMachine = "virtio" | "unikraft";

/** `qemu-system-x86_64 -nodefaults -nographic -serial stdio -kernel ARTIFACT ...`. */
export function qemu(machine: QemuMachine, input: LaunchInput): Launch {
  const nic = machine === "unikraft" ? "virtio-net-pci" : "virtio-net";
  return {
    command: {
      tool: "qemu-system-x86_64",
      args: [
        ...(machine === "unikraft" ? ["-machine", "q35"] : []),
        "-m",
        `${input.memory}M`,
        "-nodefaults",
        "-nographic",
        "-serial",
        "stdio",
        "-kernel",
        input.artifact,
        ...input.networks.flatMap(([, tap], i) => [
          "-device",
          `${nic},netdev=n${i}`,
          "-netdev",
          `tap,id=n${i},ifname=${tap},script=no,downscript=no`,
        ]),
        ...input.blocks.flatMap(([, file]) => ["-drive", `file=${file},if=virtio,format=raw`]),
        ...(input.args.length ? ["-append", input.args.join(" ")] : []),
      ],
      cwd: input.root,
    },
  };
}
