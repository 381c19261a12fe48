/**
 * IP layers (`Tcpip.Ip.S`): static IPv4, IPv4 by DHCP, IPv4 from Qubes DB, IPv6, and the
 * dual-stack pairing of both; plus ICMPv4, which the direct stacks need.
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
  ipv4,
  ipv4v6,
  ipv6,
  network,
  type Package,
  pkg,
  qubesdb,
} from "../lib/mod.ts";
import {
  acceptRouterAdvertisementsArg,
  ipv4GatewayArg,
  ipv4NetworkArg,
  ipv4OnlyArg,
  ipv6GatewayArg,
  ipv6NetworkArg,
  ipv6OnlyArg,
} from "./network_args.ts";
import {
  checkArgs,
  deviceOf,
  type Expect,
  optionsOf,
  record,
  required,
  STRING,
} from "../lib/dsl/args.ts";

/** The tcpip package with one of its sub-libraries. */
export function tcpip(sublib: string): Package {
  return pkg("tcpip", { min: "9.0.0", max: "10.0.0", sublibs: [sublib] });
}

/** A static IPv4 configuration. */
export interface Ipv4Config {
  /** Address and prefix, e.g. `10.0.0.2/24`. */
  readonly network: string;
  /** Gateway address. */
  readonly gateway?: string;
}

/** A static IPv6 configuration. */
export interface Ipv6Config {
  /** Address and prefix. */
  readonly network: string;
  /** Gateway address. */
  readonly gateway?: string;
}

// The stacks (stack.ts) check their ipv4Config/ipv6Config with these too, so they are exported,
// and with them the type they have.
export type { Expect };

/** What the `config` option of {@link createIpv4} (and `ipv4Config` of the stacks) must be. */
export const IPV4_CONFIG: Expect = record("an IPv4 configuration ({ network, gateway? })", {
  network: required(STRING, 'network: "10.0.0.2/24"'),
  gateway: STRING,
});

/** What the `config` option of {@link createIpv6} (and `ipv6Config` of the stacks) must be. */
export const IPV6_CONFIG: Expect = record("an IPv6 configuration ({ network, gateway? })", {
  network: required(STRING, 'network: "fc00::2/64"'),
  gateway: STRING,
});

/** Options of {@link createIpv4}. */
export interface CreateIpv4Options {
  /** Prefix of the boot flags. */
  readonly group?: string;
  /** Defaults of `--ipv4` and `--ipv4-gateway` (default 10.0.0.2/24, no gateway). */
  readonly config?: Ipv4Config;
}

/** A static IPv4 layer, its address from `--[group-]ipv4` at boot. */
export function createIpv4(
  eth: Impl<"ethernet">,
  arp: Impl<"arpv4">,
  options: CreateIpv4Options = {},
): Impl<"ipv4"> {
  checkArgs(createIpv4, [eth, arp, options], [
    ["eth", deviceOf(ethernet)],
    ["arp", deviceOf(arpv4)],
    ["options", optionsOf({ group: STRING, config: IPV4_CONFIG })],
  ]);
  const { group, config } = options;
  const functor = impl("Static_ipv4.Make", fn(ethernet, arpv4, ipv4), {
    packages: [tcpip("ipv4")],
    runtimeArgs: [
      ipv4NetworkArg(config?.network ?? "10.0.0.2/24", group),
      ipv4GatewayArg(config?.gateway, group),
      ipv6OnlyArg(group),
    ],
    connect: (_i, m, [e, a, network, gateway, noInit]) =>
      `${m}.connect ~no_init:${noInit} ~cidr:${network} ?gateway:${gateway} ${e} ${a}`,
  });
  return apply(functor, eth, arp);
}

/** IPv4 configured by DHCP (charrua). */
export function ipv4OfDhcp(
  net: Impl<"network">,
  eth: Impl<"ethernet">,
  arp: Impl<"arpv4">,
): Impl<"ipv4"> {
  checkArgs(ipv4OfDhcp, [net, eth, arp], [["net", deviceOf(network)], ["eth", deviceOf(ethernet)], [
    "arp",
    deviceOf(arpv4),
  ]]);
  const functor = impl("Dhcp_ipv4.Make", fn(network, ethernet, arpv4, ipv4), {
    packages: [pkg("charrua-client", { min: "2.0.0", max: "3.0.0", sublibs: ["mirage"] })],
    connect: (_i, m, [n, e, a]) => `${m}.connect ${n} ${e} ${a}`,
  });
  return apply(functor, net, eth, arp);
}

/** IPv4 configured from Qubes DB. */
export function ipv4Qubes(
  db: Impl<"qubesdb">,
  eth: Impl<"ethernet">,
  arp: Impl<"arpv4">,
): Impl<"ipv4"> {
  checkArgs(ipv4Qubes, [db, eth, arp], [["db", deviceOf(qubesdb)], ["eth", deviceOf(ethernet)], [
    "arp",
    deviceOf(arpv4),
  ]]);
  const functor = impl("Qubesdb_ipv4.Make", fn(qubesdb, ethernet, arpv4, ipv4), {
    packages: [pkg("mirage-qubes-ipv4", { min: "2.0.0", max: "3.0.0" })],
    connect: (_i, m, [d, e, a]) => `${m}.connect ${d} ${e} ${a}`,
  });
  return apply(functor, db, eth, arp);
}

/** Options of {@link createIpv6}. */
export interface CreateIpv6Options {
  /** Prefix of the boot flags. */
  readonly group?: string;
  /** Defaults of `--ipv6` and `--ipv6-gateway` (default: none, autoconfiguration). */
  readonly config?: Ipv6Config;
}

/** An IPv6 layer, configured from `--[group-]ipv6` or router advertisements. */
export function createIpv6(
  net: Impl<"network">,
  eth: Impl<"ethernet">,
  options: CreateIpv6Options = {},
): Impl<"ipv6"> {
  checkArgs(createIpv6, [net, eth, options], [["net", deviceOf(network)], [
    "eth",
    deviceOf(ethernet),
  ], ["options", optionsOf({ group: STRING, config: IPV6_CONFIG })]]);
  const { group, config } = options;
  const functor = impl("Ipv6.Make", fn(network, ethernet, ipv6), {
    packages: [tcpip("ipv6")],
    runtimeArgs: [
      ipv6NetworkArg(config?.network, group),
      ipv6GatewayArg(config?.gateway, group),
      acceptRouterAdvertisementsArg(group),
      ipv4OnlyArg(group),
    ],
    connect: (_i, m, [n, e, network, gateway, acceptRa, noInit]) =>
      `${m}.connect ~no_init:${noInit} ~handle_ra:${acceptRa} ?cidr:${network} ?gateway:${gateway} ${n} ${e}`,
  });
  return apply(functor, net, eth);
}

/** Options of {@link createIpv4v6}. */
export interface CreateIpv4v6Options {
  /** Prefix of the boot flags. */
  readonly group?: string;
}

/** The dual stack of an IPv4 and an IPv6 layer (`--ipv4-only`, `--ipv6-only` at boot). */
export function createIpv4v6(
  v4: Impl<"ipv4">,
  v6: Impl<"ipv6">,
  options: CreateIpv4v6Options = {},
): Impl<"ipv4v6"> {
  checkArgs(createIpv4v6, [v4, v6, options], [["v4", deviceOf(ipv4)], ["v6", deviceOf(ipv6)], [
    "options",
    optionsOf({ group: STRING }),
  ]]);
  const functor = impl("Tcpip_stack_direct.IPV4V6", fn(ipv4, ipv6, ipv4v6), {
    packages: [tcpip("stack-direct")],
    runtimeArgs: [ipv4OnlyArg(options.group), ipv6OnlyArg(options.group)],
    connect: (_i, m, [a, b, only4, only6]) =>
      `${m}.connect ~ipv4_only:${only4} ~ipv6_only:${only6} ${a} ${b}`,
  });
  return apply(functor, v4, v6);
}

const icmpFunctor = impl("Icmpv4.Make", fn(ipv4, icmpv4), {
  packages: [tcpip("icmpv4")],
  connect: (_i, m, [ip]) => `${m}.connect ${ip}`,
});

/** ICMPv4 over an IPv4 layer (used by the direct stacks). */
export function directIcmpv4(ip: Impl<"ipv4">): Impl<"icmpv4"> {
  checkArgs(directIcmpv4, [ip], [["ip", deviceOf(ipv4)]]);
  return apply(icmpFunctor, ip);
}
