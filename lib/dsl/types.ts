/**
 * The module types of the MirageOS 4.9 device API, as leaf types. Jobs stand in for sleep,
 * clocks, random and reporter, as they do in 4.9.
 * @module
 */

import { job, type Typ, typ } from "./typ.ts";

/** `Mirage_block.S`. */
export const block: Typ<"block"> = typ("block");
/** `Mirage_kv.RO`. */
export const kvRo: Typ<"kv_ro"> = typ("kv_ro");
/** `Mirage_kv.RW`. */
export const kvRw: Typ<"kv_rw"> = typ("kv_rw");
/** `Mirage_net.S`. */
export const network: Typ<"network"> = typ("network");
/** `Ethernet.S`. */
export const ethernet: Typ<"ethernet"> = typ("ethernet");
/** `Arp.S`. */
export const arpv4: Typ<"arpv4"> = typ("arpv4");
/** `Tcpip.Ip.S` over IPv4 addresses. */
export const ipv4: Typ<"ipv4"> = typ("ipv4");
/** `Tcpip.Ip.S` over IPv6 addresses. */
export const ipv6: Typ<"ipv6"> = typ("ipv6");
/** `Tcpip.Ip.S` over both. */
export const ipv4v6: Typ<"ipv4v6"> = typ("ipv4v6");
/** `Icmpv4.S` (internal to the direct stacks). */
export const icmpv4: Typ<"icmpv4"> = typ("icmpv4");
/** `Tcpip.Udp.S` over IPv4. */
export const udpv4: Typ<"udpv4"> = typ("udpv4");
/** `Tcpip.Udp.S` over IPv6. */
export const udpv6: Typ<"udpv6"> = typ("udpv6");
/** `Tcpip.Tcp.S` over IPv4. */
export const tcpv4: Typ<"tcpv4"> = typ("tcpv4");
/** `Tcpip.Tcp.S` over IPv6. */
export const tcpv6: Typ<"tcpv6"> = typ("tcpv6");
/** `Tcpip.Udp.S` over both address families. */
export const udpv4v6: Typ<"udpv4v6"> = typ("udpv4v6");
/** `Tcpip.Tcp.S` over both address families. */
export const tcpv4v6: Typ<"tcpv4v6"> = typ("tcpv4v6");
/** `Tcpip.Stack.V4V6`. */
export const stackv4v6: Typ<"stackv4v6"> = typ("stackv4v6");
/** `Resolver_mirage.S`. */
export const resolver: Typ<"resolver"> = typ("resolver");
/** `Happy_eyeballs_mirage.S`. */
export const happyEyeballs: Typ<"happy_eyeballs"> = typ("happy_eyeballs");
/** `Dns_client_mirage.S`. */
export const dnsClient: Typ<"dns_client"> = typ("dns_client");
/** A syslog reporter. */
export const syslog: Typ<"syslog"> = typ("syslog");
/** `Conduit_mirage.S`. */
export const conduit: Typ<"conduit"> = typ("conduit");
/** A mimic context. */
export const mimic: Typ<"mimic"> = typ("mimic");
/** `Cohttp_mirage.Server.S`. */
export const http: Typ<"http"> = typ("http");
/** A cohttp client context. */
export const httpClient: Typ<"http_client"> = typ("http_client");
/** `Paf_mirage.S`. */
export const httpServer: Typ<"http_server"> = typ("http_server");
/** `Http_mirage_client.S`. */
export const alpnClient: Typ<"alpn_client"> = typ("alpn_client");
/** A mimic context holding git endpoints. */
export const gitClient: Typ<"git_client"> = typ("git_client");
/** `Qubes.DB`. */
export const qubesdb: Typ<"qubesdb"> = typ("qubesdb");
/** The module type of sleep: a job in 4.9 (`type sleep = job`), selected at link time. */
export type Sleep = "job";
/** The module type of the POSIX clock: a job in 4.9 (`type ptime = job`). */
export type Ptime = "job";
/** The module type of the monotonic clock: a job in 4.9 (`type mtime = job`). */
export type Mtime = "job";
/** The module type of the random number generator: a job in 4.9 (`type random = job`). */
export type Random = "job";
/** The module type of a log reporter: a job in 4.9 (`type reporter = job`). */
export type Reporter = "job";
/** The module type of the boot command line. */
export type Argv = "argv";

/** Sleep (a job in 4.9: selected at link time). */
export const sleep: Typ<Sleep> = job;
/** POSIX clock (a job in 4.9). */
export const ptime: Typ<Ptime> = job;
/** Monotonic clock (a job in 4.9). */
export const mtime: Typ<Mtime> = job;
/** Random (a job in 4.9). */
export const random: Typ<Random> = job;
/** Log reporter (a job in 4.9). */
export const reporter: Typ<Reporter> = job;
