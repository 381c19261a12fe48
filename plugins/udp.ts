/**
 * UDP (`Tcpip.Udp.S`): tcpip's own over an IP layer, or the host's sockets on Unix.
 * @module
 */

import {
  apply,
  type DeviceOptions,
  fn,
  type Impl,
  impl,
  ipv4,
  ipv4v6,
  ipv6,
  type Typ,
  udpv4,
  udpv4v6,
  udpv6,
} from "../lib/mod.ts";
import { tcpip } from "./ip.ts";
import { ipv4NetworkArg, ipv4OnlyArg, ipv6NetworkArg, ipv6OnlyArg } from "./network_args.ts";
import { checkArgs, deviceOf, optionsOf, orNull, STRING } from "../lib/dsl/args.ts";

/** The IP layer kinds. */
export type IpKind = "ipv4" | "ipv6" | "ipv4v6";
/** The UDP type over an IP kind. */
export type UdpOf<V extends IpKind> = V extends "ipv4" ? "udpv4"
  : V extends "ipv6" ? "udpv6"
  : "udpv4v6";

/** The IP layer type of each kind. */
export const IP_TYPES = { ipv4, ipv6, ipv4v6 } as const;
const UDP_TYPES = { ipv4: udpv4, ipv6: udpv6, ipv4v6: udpv4v6 } as const;

/** The IP kind of an IP layer, read from its module type. */
export function ipKindOf(ip: Impl<IpKind>): IpKind {
  const t = ip.typ;
  if (t.kind === "leaf" && (t.name === "ipv4" || t.name === "ipv6" || t.name === "ipv4v6")) {
    return t.name;
  }
  throw new TypeError(
    `expected an IP layer, got a device of type ${t.kind === "leaf" ? t.name : "functor"}`,
  );
}

/** tcpip's UDP over `ip`. */
export function directUdp<V extends IpKind>(ip: Impl<V>): Impl<UdpOf<V>> {
  checkArgs(directUdp, [ip], [["ip", deviceOf(ipv4, ipv6, ipv4v6)]]);
  const kind = ipKindOf(ip);
  const functor = impl(
    "Udp.Make",
    fn(IP_TYPES[kind] as unknown as Typ<V>, UDP_TYPES[kind] as unknown as Typ<UdpOf<V>>),
    { packages: [tcpip("udp")], connect: (_i, m, [i]) => `${m}.connect ${i}` },
  );
  return apply(functor, ip);
}

/** Options of the socket transports. */
export interface SocketOptions {
  /** Prefix of the boot flags. */
  readonly group?: string;
}

/**
 * What a transport over the host's sockets declares, bound to `v4`/`v6` (any address if null):
 * tcpip's `sublibrary`, the boot arguments, its connect call, Unix targets only.
 */
export function socketTransport(
  sublibrary: string,
  v4: string | null,
  v6: string | null,
  options: SocketOptions,
): DeviceOptions {
  const group = options.group;
  return {
    packages: [tcpip(sublibrary)],
    runtimeArgs: [
      ipv4OnlyArg(group),
      ipv6OnlyArg(group),
      ipv4NetworkArg(v4 === null ? "0.0.0.0/0" : `${v4}/32`, group),
      ipv6NetworkArg(v6 === null ? undefined : `${v6}/128`, group),
    ],
    connect: (_i, m, [only4, only6, net4, net6]) =>
      `${m}.connect ~ipv4_only:${only4} ~ipv6_only:${only6} ${net4} ${net6}`,
    targets: ["unix", "macosx"],
  };
}

/** UDP over the host's sockets, bound to the given addresses. Unix only. */
export function socketUdpv4v6(
  v4: string | null,
  v6: string | null,
  options: SocketOptions = {},
): Impl<"udpv4v6"> {
  checkArgs(socketUdpv4v6, [v4, v6, options], [["v4", orNull(STRING)], ["v6", orNull(STRING)], [
    "options",
    optionsOf({ group: STRING }),
  ]]);
  return impl("Udpv4v6_socket", udpv4v6, socketTransport("udpv4v6-socket", v4, v6, options));
}
