/**
 * The DNS client (`Dns_client_mirage.S`) over a stack and happy eyeballs.
 * @module
 */

import {
  apply,
  dnsClient,
  fn,
  happyEyeballs,
  type Impl,
  impl,
  pkg,
  stackv4v6,
} from "../lib/mod.ts";
import { dnsCacheSizeArg, dnsServersArg, dnsTimeoutArg } from "./network_args.ts";
import {
  checkArgs,
  deviceOf,
  NANOSECONDS,
  NUMBER,
  optionsOf,
  STRING,
  STRINGS,
} from "../lib/dsl/args.ts";

/** Options of {@link genericDnsClient}: defaults of the `--dns_*` boot flags. */
export interface DnsClientOptions {
  /** Prefix of the boot flags. */
  readonly group?: string;
  /** Timeout (ns). */
  readonly timeout?: number | bigint;
  /** Name servers: `udp:ip[:port]`, `tcp:ip[:port]`, `tls:ip[:port][!authenticator]`. */
  readonly nameservers?: readonly string[];
  /** Cache size. */
  readonly cacheSize?: number;
}

/** A DNS client. */
export function genericDnsClient(
  stack: Impl<"stackv4v6">,
  he: Impl<"happy_eyeballs">,
  options: DnsClientOptions = {},
): Impl<"dns_client"> {
  checkArgs(genericDnsClient, [stack, he, options], [["stack", deviceOf(stackv4v6)], [
    "he",
    deviceOf(happyEyeballs),
  ], [
    "options",
    optionsOf({ group: STRING, timeout: NANOSECONDS, nameservers: STRINGS, cacheSize: NUMBER }),
  ]]);
  const g = options.group;
  const functor = impl("Dns_client_mirage.Make", fn(stackv4v6, happyEyeballs, dnsClient), {
    packages: [pkg("dns-client-mirage", { min: "10.0.0", max: "11.0.0" })],
    runtimeArgs: [
      dnsServersArg(options.nameservers, g),
      dnsTimeoutArg(options.timeout, g),
      dnsCacheSizeArg(options.cacheSize, g),
    ],
    connect: (_i, m, [s, h, nameservers, timeout, cacheSize]) =>
      `${m}.connect ?nameservers:${nameservers} ?timeout:${timeout} ?cache_size:${cacheSize} (${s}, ${h})`,
  });
  return apply(functor, stack, he);
}
