/**
 * TCP (`Tcpip.Tcp.S`): tcpip's own over an IP layer, or the host's sockets on Unix.
 * @module
 */

import { apply, fn, type Impl, impl, tcpv4, tcpv4v6, tcpv6, type Typ } from "../lib/mod.ts";
import { tcpip } from "./ip.ts";
import { IP_TYPES, type IpKind, ipKindOf, type SocketOptions, socketTransport } from "./udp.ts";
import { checkArgs, deviceOf, optionsOf, orNull, STRING } from "../lib/dsl/args.ts";
import { ipv4, ipv4v6, ipv6 } from "../lib/dsl/types.ts";

/** The TCP type over an IP kind. */
export type TcpOf<V extends IpKind> = V extends "ipv4" ? "tcpv4"
  : V extends "ipv6" ? "tcpv6"
  : "tcpv4v6";

const TCP_TYPES = { ipv4: tcpv4, ipv6: tcpv6, ipv4v6: tcpv4v6 } as const;

/** tcpip's TCP over `ip`. */
export function directTcp<V extends IpKind>(ip: Impl<V>): Impl<TcpOf<V>> {
  checkArgs(directTcp, [ip], [["ip", deviceOf(ipv4, ipv6, ipv4v6)]]);
  const kind = ipKindOf(ip);
  const functor = impl(
    "Tcp.Flow.Make",
    fn(IP_TYPES[kind] as unknown as Typ<V>, TCP_TYPES[kind] as unknown as Typ<TcpOf<V>>),
    { packages: [tcpip("tcp")], connect: (_i, m, [i]) => `${m}.connect ${i}` },
  );
  return apply(functor, ip);
}

/** TCP over the host's sockets, bound to the given addresses. Unix only. */
export function socketTcpv4v6(
  v4: string | null,
  v6: string | null,
  options: SocketOptions = {},
): Impl<"tcpv4v6"> {
  checkArgs(socketTcpv4v6, [v4, v6, options], [["v4", orNull(STRING)], ["v6", orNull(STRING)], [
    "options",
    optionsOf({ group: STRING }),
  ]]);
  return impl("Tcpv4v6_socket", tcpv4v6, socketTransport("tcpv4v6-socket", v4, v6, options));
}
