/**
 * TCP/IP stacks (`Tcpip.Stack.V4V6`): tcpip's direct stack over a network interface, the host's
 * socket stack on Unix, and `genericStackv4v6`, which picks one from the target and the
 * `--net` and `--dhcp` configure keys.
 * @module
 */

import {
  apply,
  arpv4,
  ethernet,
  fn,
  icmpv4,
  type Impl,
  impl,
  ipv4v6,
  Key,
  key,
  matchImpl,
  network,
  stackv4v6,
  tcpv4v6,
  udpv4v6,
  Value,
  value,
} from "../lib/mod.ts";
import { ethif } from "./ethernet.ts";
import { arp as defaultArp } from "./arp.ts";
import {
  createIpv4,
  createIpv4v6,
  createIpv6,
  directIcmpv4,
  IPV4_CONFIG,
  type Ipv4Config,
  ipv4OfDhcp,
  ipv4Qubes,
  IPV6_CONFIG,
  type Ipv6Config,
  tcpip,
} from "./ip.ts";
import { directUdp, socketUdpv4v6 } from "./udp.ts";
import { directTcp, socketTcpv4v6 } from "./tcp.ts";
import { defaultQubesdb } from "./qubesdb.ts";
import { checkArgs, deviceOf, FUNCTION, optionsOf, STRING, VALUE } from "../lib/dsl/args.ts";
import { ipv4, ipv6 } from "../lib/dsl/types.ts";

/** Options of {@link directStackv4v6}. */
export interface DirectStackOptions {
  /** Prefix of the boot flags. */
  readonly group?: string;
  /** A TCP to use instead of tcpip's over the stack's IP. */
  readonly tcp?: Impl<"tcpv4v6">;
}

/** tcpip's direct stack over an interface, Ethernet, ARP and IPv4 and IPv6 layers. */
export function directStackv4v6(
  net: Impl<"network">,
  eth: Impl<"ethernet">,
  arp: Impl<"arpv4">,
  v4: Impl<"ipv4">,
  v6: Impl<"ipv6">,
  options: DirectStackOptions = {},
): Impl<"stackv4v6"> {
  checkArgs(directStackv4v6, [net, eth, arp, v4, v6, options], [
    ["net", deviceOf(network)],
    ["eth", deviceOf(ethernet)],
    ["arp", deviceOf(arpv4)],
    ["v4", deviceOf(ipv4)],
    ["v6", deviceOf(ipv6)],
    ["options", optionsOf({ group: STRING, tcp: deviceOf(tcpv4v6) })],
  ]);
  const ip = createIpv4v6(v4, v6, { group: options.group });
  const functor = impl(
    "Tcpip_stack_direct.MakeV4V6",
    fn(network, ethernet, arpv4, ipv4v6, icmpv4, udpv4v6, tcpv4v6, stackv4v6),
    {
      packages: [tcpip("stack-direct")],
      connect: (_i, m, [n, e, a, i, icmp, udp, tcp]) =>
        `${m}.connect ${n} ${e} ${a} ${i} ${icmp} ${udp} ${tcp}`,
    },
  );
  return apply(
    functor,
    net,
    eth,
    arp,
    ip,
    directIcmpv4(v4),
    directUdp(ip),
    options.tcp ?? directTcp(ip),
  );
}

/** Options of {@link socketStackv4v6}. */
export interface SocketStackOptions {
  /** Prefix of the boot flags. */
  readonly group?: string;
}

/** The host's socket stack (any address). Unix only. */
export function socketStackv4v6(options: SocketStackOptions = {}): Impl<"stackv4v6"> {
  checkArgs(socketStackv4v6, [options], [["options", optionsOf({ group: STRING })]]);
  const { group } = options;
  return impl("Tcpip_stack_socket.V4V6", stackv4v6, {
    packages: [tcpip("stack-socket")],
    extraDeps: [socketUdpv4v6(null, null, { group }), socketTcpv4v6(null, null, { group })],
    connect: (_i, m, [udp, tcp]) => `${m}.connect ${udp} ${tcp}`,
  });
}

/** Options of {@link staticIpv4v6Stack}. */
export interface StaticStackOptions {
  /** Prefix of the boot flags. */
  readonly group?: string;
  /** Default IPv6 configuration. */
  readonly ipv6Config?: Ipv6Config;
  /** Default IPv4 configuration. */
  readonly ipv4Config?: Ipv4Config;
  /** An ARP to use instead of `arp`. */
  readonly arp?: (eth: Impl<"ethernet">) => Impl<"arpv4">;
  /** A TCP to use instead of tcpip's. */
  readonly tcp?: Impl<"tcpv4v6">;
}

/**
 * The checks of {@link StaticStackOptions}' fields, shared by the two constructors that take
 * them (the generic stack's options extend the static one's). A function, not a constant, so
 * the device types it names are read at the call, not while the plugin modules still load.
 */
function staticStackFields() {
  return {
    group: STRING,
    ipv4Config: IPV4_CONFIG,
    ipv6Config: IPV6_CONFIG,
    arp: FUNCTION,
    tcp: deviceOf(tcpv4v6),
  };
}

/** A direct stack with static IPv4 (`--ipv4`) and IPv6 over `net`. */
export function staticIpv4v6Stack(
  net: Impl<"network">,
  options: StaticStackOptions = {},
): Impl<"stackv4v6"> {
  checkArgs(staticIpv4v6Stack, [net, options], [["net", deviceOf(network)], [
    "options",
    optionsOf(staticStackFields()),
  ]]);
  const { group } = options;
  const eth = ethif(net);
  const a = (options.arp ?? defaultArp)(eth);
  const v4 = createIpv4(eth, a, { group, config: options.ipv4Config });
  const v6 = createIpv6(net, eth, { group, config: options.ipv6Config });
  return directStackv4v6(net, eth, a, v4, v6, { group, tcp: options.tcp });
}

/** Which stack `--net` asks for: the host's sockets or tcpip's own (unset: the target's). */
export type NetChoice = "host" | "socket" | "direct" | "ocaml";

const keyName = (group: string | undefined, name: string) => (group ? `${group}-${name}` : name);
const groupDoc = (group: string | undefined) => (group ? `the ${group} group` : "the unikernel");

/** The `--[group-]dhcp` configure key. */
export function dhcpKey(group?: string): Key<boolean> {
  return key({
    name: keyName(group, "dhcp"),
    type: "bool",
    default: false,
    doc: `Enable dhcp for ${groupDoc(group)}.`,
  });
}

/** The `--[group-]net` configure key. */
export function netKey(group?: string): Key<NetChoice | undefined> {
  return key({
    name: keyName(group, "net"),
    type: "enum",
    values: ["host", "socket", "direct", "ocaml"] as NetChoice[],
    optional: true,
    doc: `Use the host's socket stack (host, socket) or tcpip's (direct, ocaml) for ${
      groupDoc(group)
    }.`,
  });
}

/** Options of {@link genericStackv4v6}. */
export interface GenericStackOptions extends StaticStackOptions {
  /** The value enabling DHCP (default: the `dhcp` key). */
  readonly dhcpKey?: Value<boolean>;
  /** The value choosing the stack (default: the `net` key). */
  readonly netKey?: Value<NetChoice | undefined>;
}

/** The stack kinds {@link genericStackv4v6} decides between. */
export type StackKind = "qubes" | "socket" | "dhcp" | "static";

/** mirage 4.9's decision: Qubes DB on qubes, sockets when asked or by default on Unix, DHCP when asked, else static. */
export function stackKind(target: string, net: NetChoice | undefined, dhcp: boolean): StackKind {
  if (target === "qubes") return "qubes";
  if (net === "host" || net === "socket") return "socket";
  if (dhcp) return "dhcp";
  if (net === undefined && (target === "unix" || target === "macosx")) return "socket";
  return "static";
}

/** The stack most unikernels use; see {@link stackKind}. */
export function genericStackv4v6(
  net: Impl<"network">,
  options: GenericStackOptions = {},
): Impl<"stackv4v6"> {
  checkArgs(genericStackv4v6, [net, options], [["net", deviceOf(network)], [
    "options",
    optionsOf({ ...staticStackFields(), dhcpKey: VALUE, netKey: VALUE }),
  ]]);
  const { group } = options;
  const dhcp = options.dhcpKey ?? value(dhcpKey(group));
  const choice = options.netKey ?? value(netKey(group));
  const kind = Value.all([value(Key.target), choice, dhcp] as const).map(([t, n, d]) =>
    stackKind(t, n, d)
  );
  const eth = ethif(net);
  const a = (options.arp ?? defaultArp)(eth);
  const v6 = createIpv6(net, eth, { group, config: options.ipv6Config });
  const direct = (v4: Impl<"ipv4">) =>
    directStackv4v6(net, eth, a, v4, v6, { group, tcp: options.tcp });
  return matchImpl(kind, {
    qubes: direct(ipv4Qubes(defaultQubesdb, eth, a)),
    socket: socketStackv4v6({ group }),
    dhcp: direct(ipv4OfDhcp(net, eth, a)),
  }, direct(createIpv4(eth, a, { group, config: options.ipv4Config })));
}

const tcpOfStack = impl("Tcpip_stack_direct.TCPV4V6", fn(stackv4v6, tcpv4v6), {
  packages: [tcpip("stack-direct")],
  connect: (_i, m, [s]) => `${m}.connect ${s}`,
});

/** The TCP of a stack. */
export function tcpv4v6OfStackv4v6(stack: Impl<"stackv4v6">): Impl<"tcpv4v6"> {
  checkArgs(tcpv4v6OfStackv4v6, [stack], [["stack", deviceOf(stackv4v6)]]);
  return apply(tcpOfStack, stack);
}
