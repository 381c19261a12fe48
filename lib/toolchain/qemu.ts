/**
 * QEMU: boots virtio (Solo5) and Unikraft unikernels, with tap networking and raw disks, the
 * serial console on stdio and no display (so that the firmware never takes over the terminal).
 * KVM is used when /dev/kvm is usable, TCG otherwise.
 * @module
 */

import type { Launch, LaunchInput } from "./launch.ts";

/** The machine flavour: Solo5's virtio, or Unikraft's (q35, PCI devices). */
export type QemuMachine = "virtio" | "unikraft";

/** QEMU's exit code when a Solo5 virtio guest calls `solo5_exit`: isa-debug-exit's (41 << 1) | 1. */
export const SOLO5_VIRTIO_EXIT = 83;

/** A value inside a QEMU `-drive`/`-device` option list: commas are doubled. */
export function qemuOptionValue(value: string): string {
  return value.replaceAll(",", ",,");
}

/** The accelerator options: KVM with the host's CPU, or TCG with a CPU Solo5 accepts. */
function accelerator(input: LaunchInput): string[] {
  return input.kvm ? ["-accel", "kvm", "-cpu", "host"] : ["-accel", "tcg", "-cpu", "Westmere"];
}

/**
 * Solo5 virtio: every manifest device on its own PCI slot from 2, in the manifest's order
 * (Solo5 numbers its devices by slot), and `isa-debug-exit` so that `solo5_exit` stops QEMU.
 */
function virtioDevices(input: LaunchInput): string[] {
  const out: string[] = [];
  let slot = 2;
  for (const n of input.networks) {
    const addr = `addr=0x${slot.toString(16)},bus=pci.0`;
    out.push(
      "-device",
      `virtio-net,netdev=n${slot},${addr}${n.mac ? `,mac=${n.mac}` : ""}`,
      "-netdev",
      `tap,id=n${slot},ifname=${n.iface},script=no,downscript=no`,
    );
    slot++;
  }
  for (const b of input.blocks) {
    out.push(
      "-drive",
      `id=drive${slot},file=${qemuOptionValue(b.path)},if=none,format=raw`,
      "-device",
      `virtio-blk,drive=drive${slot},addr=0x${slot.toString(16)},bus=pci.0`,
    );
    slot++;
  }
  return [...out, "-device", "isa-debug-exit"];
}

function unikraftDevices(input: LaunchInput): string[] {
  return [
    ...input.networks.flatMap((n, i) => [
      "-device",
      `virtio-net-pci,netdev=n${i}${n.mac ? `,mac=${n.mac}` : ""}`,
      "-netdev",
      `tap,id=n${i},ifname=${n.iface},script=no,downscript=no`,
    ]),
    ...input.blocks.flatMap((b) => [
      "-drive",
      `file=${qemuOptionValue(b.path)},if=virtio,format=raw`,
    ]),
  ];
}

/** What QEMU's exit code says about a Solo5 virtio guest. */
function virtioExitCode(code: number): { code: number; meaning?: string } {
  if (code === SOLO5_VIRTIO_EXIT) {
    return {
      code: 0,
      meaning:
        "QEMU exit code 83: the unikernel called solo5_exit (on virtio Solo5 cannot pass its status on), reported as 0",
    };
  }
  if (code === 0) return { code };
  return {
    code,
    meaning: `QEMU exit code ${code}: QEMU failed or was stopped before the unikernel exited`,
  };
}

/** `qemu-system-x86_64 -accel kvm|tcg -m MB -nodefaults -display none -serial stdio ...`. */
export function qemu(machine: QemuMachine, input: LaunchInput): Launch {
  const virtio = machine === "virtio";
  return {
    command: {
      tool: "qemu-system-x86_64",
      args: [
        ...(virtio ? ["-machine", "pc,acpi=off"] : ["-machine", "q35"]),
        ...accelerator(input),
        "-m",
        `${input.memory}M`,
        "-nodefaults",
        "-display",
        "none",
        "-serial",
        "stdio",
        ...(virtio ? virtioDevices(input) : unikraftDevices(input)),
        "-kernel",
        input.artifact,
        ...(input.args.length
          ? ["-append", virtio ? qemuOptionValue(input.args.join(" ")) : input.args.join(" ")]
          : []),
      ],
      cwd: input.root,
    },
    note: input.kvm
      ? "QEMU runs the guest with KVM (/dev/kvm is usable)"
      : "QEMU runs the guest with TCG, emulated and slower (/dev/kvm is not usable)",
    exitCode: virtio ? virtioExitCode : undefined,
  };
}
