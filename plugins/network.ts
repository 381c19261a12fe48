/**
 * Network interfaces (`Mirage_net.S`): the target's netif driver, and the default interface
 * of each target.
 * @module
 */

import { type Impl, impl, Key, matchImpl, network, pkg, value } from "../lib/mod.ts";
import { interfaceArg } from "./network_args.ts";

/** Options of {@link netif}. */
export interface NetifOptions {
  /** Prefix of the boot flags (`--<group>-interface`). */
  readonly group?: string;
}

function hostNetif(device: string, group?: string): Impl<"network"> {
  const iface = interfaceArg(device, group);
  return impl("Netif", network, {
    packagesV: value(Key.target).map((t) => {
      switch (t) {
        case "macosx":
          return [pkg("mirage-net-macosx", { min: "1.8.0", max: "2.0.0" })];
        case "xen":
          return [pkg("mirage-net-xen", { min: "2.1.0", max: "3.0.0" })];
        case "qubes":
          return [
            pkg("mirage-net-xen", { min: "2.1.0", max: "3.0.0" }),
            pkg("mirage-qubes", { min: "2.0.0", max: "3.0.0" }),
          ];
        case "unikraft-qemu":
        case "unikraft-firecracker":
          return [pkg("mirage-net-unikraft", { min: "1.0.0", max: "2.0.0" })];
        default:
          return [pkg("mirage-net-unix", { min: "3.0.0", max: "4.0.0" })];
      }
    }),
    runtimeArgs: [iface],
    connect: (_i, m, [name]) => `${m}.connect ${name}`,
    configure: (_i, io) => io.registerNetwork(device),
  });
}

function solo5Netif(device: string): Impl<"network"> {
  return impl("Netif", network, {
    packages: [pkg("mirage-net-solo5", { min: "0.8.0", max: "0.9.0" })],
    connect: (_i, m) => `${m}.connect ${JSON.stringify(device)}`,
    configure: (_i, io) => io.registerNetwork(device),
  });
}

/**
 * A network interface named `device`: on Solo5 the tender's device name (fixed at configure
 * time), elsewhere the default of the `--interface` boot flag.
 */
export function netif(device: string, options: NetifOptions = {}): Impl<"network"> {
  checkArgs(netif, [device, options], [["device", STRING], [
    "options",
    optionsOf({ group: STRING }),
  ]]);
  return matchImpl(Key.family, { solo5: solo5Netif(device) }, hostNetif(device, options.group));
}

/** The target's usual interface: `tap0` on Unix, `service` on Solo5, `0` elsewhere. */
export const defaultNetwork: Impl<"network"> = matchImpl(
  Key.family,
  { unix: netif("tap0"), solo5: netif("service") },
  netif("0"),
);

// The argument checks are imported last: main.ml's `# line` directives cite the lines of
// this file's devices, which must not move.
import { checkArgs, optionsOf, STRING } from "../lib/dsl/args.ts";
