/**
 * Boot-time arguments of `Mirage_runtime_network` shared by the network devices. Each is made
 * at one place per group, so devices of one group share one registration.
 * @module
 */

import { pkg, type RuntimeArg, runtimeArg } from "unik";

const NETWORK_RUNTIME = [pkg("mirage-runtime", { sublibs: ["network"] })];

/** `~group:"g"` when a group is given (flag names get a `g-` prefix). */
export function groupArg(group: string | undefined): string {
  return group ? ` ~group:${JSON.stringify(group)}` : "";
}

/** `--[group-]interface`: the host interface a Unix or Xen netif listens on. */
export function interfaceArg(device: string, group?: string): RuntimeArg<string> {
  return runtimeArg<string>(
    `Mirage_runtime_network.interface${groupArg(group)} ${JSON.stringify(device)}`,
    { packages: NETWORK_RUNTIME },
  );
}
