/**
 * The standard boot-time arguments, mirage 4.9's `Runtime_arg` module: `--delay`, the network
 * arguments of `Mirage_runtime_network` (OCaml code `Mirage_runtime_network.<term>
 * [~group:"g" ]<default>`) and `-l/--logs`.
 *
 * main.ml registers runtime arguments in the order of their definitions (file, then line), as
 * mirage does; so each argument below is created by its own `runtimeArg` call, and the calls
 * come in the order of mirage 4.9's lib/devices/runtime_arg.ml. Keep that order when adding
 * one. The two standard arguments mirage defines elsewhere stay in the matching files:
 * docteur's `--analyze` in kv.ts (mirage's block.ml, before runtime_arg.ml) and the OCaml
 * runtime's `Cmdliner_stdlib.setup` in runtime.ts (mirage.ml, after it): `unik/plugins/kv.ts`
 * < `unik/plugins/network_args.ts` < `unik/plugins/runtime.ts`. Devices of one group asking for
 * the same argument share one registration.
 * @module
 */

import { pkg, type RuntimeArg, runtimeArg } from "../lib/mod.ts";

const RUNTIME = [pkg("mirage-runtime")];
const NETWORK_RUNTIME = [pkg("mirage-runtime", { sublibs: ["network"] })];

/** An OCaml string literal. */
export function ocamlString(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

/** `None`, or `(Some <v>)`. */
export function ocamlOption<T>(v: T | undefined | null, show: (x: T) => string): string {
  return v === undefined || v === null ? "None" : `(Some ${show(v)})`;
}

/** An OCaml int64 literal (mirage 4.9 forgot the `L`, making main.ml ill-typed). */
export function ocamlInt64(v: number | bigint): string {
  return `${v}L`;
}

/** An OCaml string list literal. */
export function ocamlStringList(xs: readonly string[]): string {
  return `[${xs.map(ocamlString).join("; ")}]`;
}

function group(g: string | undefined): string {
  return g ? `~group:${ocamlString(g)} ` : "";
}

/** The code of a `Mirage_runtime_network` argument. */
function network(term: string, g: string | undefined, rest: string): string {
  return `Mirage_runtime_network.${term} ${group(g)}${rest}`;
}

/** An IPv4 prefix literal. */
export const v4Prefix = (p: string): string => `(Ipaddr.V4.Prefix.of_string_exn ${ocamlString(p)})`;
/** An IPv4 address literal. */
export const v4Addr = (a: string): string => `(Ipaddr.V4.of_string_exn ${ocamlString(a)})`;
/** An IPv6 prefix literal. */
export const v6Prefix = (p: string): string => `(Ipaddr.V6.Prefix.of_string_exn ${ocamlString(p)})`;
/** An IPv6 address literal. */
export const v6Addr = (a: string): string => `(Ipaddr.V6.of_string_exn ${ocamlString(a)})`;
/** An IP address literal (either family). */
export const ipAddr = (a: string): string => `(Ipaddr.of_string_exn ${ocamlString(a)})`;

// The arguments, in mirage 4.9's definition order (see the module's documentation).

/** `--delay=N`: seconds to wait before starting. */
export const delayArg: RuntimeArg<number> = runtimeArg<number>("Mirage_runtime.delay", {
  packages: RUNTIME,
});

/** `--[group-]interface`: the host interface a Unix or Xen netif listens on. */
export function interfaceArg(device: string, g?: string): RuntimeArg<string> {
  return runtimeArg(network("interface", g, ocamlString(device)), { packages: NETWORK_RUNTIME });
}

/** `--[group-]ipv4`: the IPv4 network (address and prefix) of a static stack. */
export function ipv4NetworkArg(prefix: string, g?: string): RuntimeArg<unknown> {
  return runtimeArg(network("V4.network", g, v4Prefix(prefix)), { packages: NETWORK_RUNTIME });
}

/** `--[group-]ipv4-gateway`. */
export function ipv4GatewayArg(gateway: string | undefined, g?: string): RuntimeArg<unknown> {
  const code = network("V4.gateway", g, ocamlOption(gateway, v4Addr));
  return runtimeArg(code, { packages: NETWORK_RUNTIME });
}

/** `--[group-]ipv6`. */
export function ipv6NetworkArg(prefix: string | undefined, g?: string): RuntimeArg<unknown> {
  const code = network("V6.network", g, ocamlOption(prefix, v6Prefix));
  return runtimeArg(code, { packages: NETWORK_RUNTIME });
}

/** `--[group-]ipv6-gateway`. */
export function ipv6GatewayArg(gateway: string | undefined, g?: string): RuntimeArg<unknown> {
  const code = network("V6.gateway", g, ocamlOption(gateway, v6Addr));
  return runtimeArg(code, { packages: NETWORK_RUNTIME });
}

/** `--[group-]accept-router-advertisements`. */
export function acceptRouterAdvertisementsArg(g?: string): RuntimeArg<boolean> {
  const code = network("V6.accept_router_advertisements", g, "()");
  return runtimeArg(code, { packages: NETWORK_RUNTIME });
}

/** `--[group-]ipv4-only`. */
export function ipv4OnlyArg(g?: string): RuntimeArg<boolean> {
  return runtimeArg(network("ipv4_only", g, "()"), { packages: NETWORK_RUNTIME });
}

/** `--[group-]ipv6-only`. */
export function ipv6OnlyArg(g?: string): RuntimeArg<boolean> {
  return runtimeArg(network("ipv6_only", g, "()"), { packages: NETWORK_RUNTIME });
}

/** `--[group-]resolver`: DNS resolvers of conduit's resolver. */
export function resolverArg(
  defaults: readonly string[] | undefined,
  g?: string,
): RuntimeArg<unknown> {
  const d = defaults && defaults.length ? `~default:${ocamlStringList(defaults)} ` : "";
  return runtimeArg(network("resolver", g, `${d}()`), { packages: NETWORK_RUNTIME });
}

/** `--[group-]dns_servers`. */
export function dnsServersArg(
  servers: readonly string[] | undefined,
  g?: string,
): RuntimeArg<unknown> {
  const code = network("dns_servers", g, ocamlOption(servers, ocamlStringList));
  return runtimeArg(code, { packages: NETWORK_RUNTIME });
}

/** `--[group-]dns_timeout` (nanoseconds). */
export function dnsTimeoutArg(
  timeout: number | bigint | undefined,
  g?: string,
): RuntimeArg<unknown> {
  const code = network("dns_timeout", g, ocamlOption(timeout, ocamlInt64));
  return runtimeArg(code, { packages: NETWORK_RUNTIME });
}

/** `--[group-]dns_cache_size`. */
export function dnsCacheSizeArg(size: number | undefined, g?: string): RuntimeArg<unknown> {
  const code = network("dns_cache_size", g, ocamlOption(size, String));
  return runtimeArg(code, { packages: NETWORK_RUNTIME });
}

/** A happy-eyeballs timing in nanoseconds (an int64), or a number of retries (an int). */
export type Timing = number | bigint | undefined;

/** `--[group-]he_aaaa_timeout` (nanoseconds). */
export function heAaaaTimeoutArg(v: Timing, g?: string): RuntimeArg<unknown> {
  const code = network("he_aaaa_timeout", g, ocamlOption(v, ocamlInt64));
  return runtimeArg(code, { packages: NETWORK_RUNTIME });
}

/** `--[group-]he_connect_delay` (nanoseconds). */
export function heConnectDelayArg(v: Timing, g?: string): RuntimeArg<unknown> {
  const code = network("he_connect_delay", g, ocamlOption(v, ocamlInt64));
  return runtimeArg(code, { packages: NETWORK_RUNTIME });
}

/** `--[group-]he_connect_timeout` (nanoseconds). */
export function heConnectTimeoutArg(v: Timing, g?: string): RuntimeArg<unknown> {
  const code = network("he_connect_timeout", g, ocamlOption(v, ocamlInt64));
  return runtimeArg(code, { packages: NETWORK_RUNTIME });
}

/** `--[group-]he_resolve_timeout` (nanoseconds). */
export function heResolveTimeoutArg(v: Timing, g?: string): RuntimeArg<unknown> {
  const code = network("he_resolve_timeout", g, ocamlOption(v, ocamlInt64));
  return runtimeArg(code, { packages: NETWORK_RUNTIME });
}

/** `--[group-]he_resolve_retries` (an int). */
export function heResolveRetriesArg(v: Timing, g?: string): RuntimeArg<unknown> {
  const code = network("he_resolve_retries", g, ocamlOption(v, String));
  return runtimeArg(code, { packages: NETWORK_RUNTIME });
}

/** `--[group-]he_timer_interval` (nanoseconds). */
export function heTimerIntervalArg(v: Timing, g?: string): RuntimeArg<unknown> {
  const code = network("he_timer_interval", g, ocamlOption(v, ocamlInt64));
  return runtimeArg(code, { packages: NETWORK_RUNTIME });
}

/** `--[group-]ssh-key`. */
export function sshKeyArg(v: string | undefined, g?: string): RuntimeArg<unknown> {
  return runtimeArg(network("ssh_key", g, ocamlOption(v, ocamlString)), {
    packages: NETWORK_RUNTIME,
  });
}

/** `--[group-]ssh-password`. */
export function sshPasswordArg(v: string | undefined, g?: string): RuntimeArg<unknown> {
  return runtimeArg(network("ssh_password", g, ocamlOption(v, ocamlString)), {
    packages: NETWORK_RUNTIME,
  });
}

/** `--[group-]ssh-authenticator`. */
export function sshAuthenticatorArg(v: string | undefined, g?: string): RuntimeArg<unknown> {
  return runtimeArg(network("ssh_authenticator", g, ocamlOption(v, ocamlString)), {
    packages: NETWORK_RUNTIME,
  });
}

/** `--[group-]tls-authenticator`. */
export function tlsAuthenticatorArg(v: string | undefined, g?: string): RuntimeArg<unknown> {
  return runtimeArg(network("tls_authenticator", g, ocamlOption(v, ocamlString)), {
    packages: NETWORK_RUNTIME,
  });
}

/** `--[group-]http-headers`. */
export function httpHeadersArg(
  headers: readonly (readonly [string, string])[] | undefined,
  g?: string,
): RuntimeArg<unknown> {
  const show = (hs: readonly (readonly [string, string])[]) =>
    `[${hs.map(([k, v]) => `(${ocamlString(k)}, ${ocamlString(v)})`).join("; ")}]`;
  return runtimeArg(network("http_headers", g, ocamlOption(headers, show)), {
    packages: NETWORK_RUNTIME,
  });
}

/** `--[group-]syslog`: the syslog server. */
export function syslogArg(server: string | undefined, g?: string): RuntimeArg<unknown> {
  return runtimeArg(network("syslog", g, ocamlOption(server, ipAddr)), {
    packages: NETWORK_RUNTIME,
  });
}

/** `--[group-]syslog-port`. */
export function syslogPortArg(port: number | undefined, g?: string): RuntimeArg<unknown> {
  return runtimeArg(network("syslog_port", g, ocamlOption(port, String)), {
    packages: NETWORK_RUNTIME,
  });
}

/** `--[group-]syslog-truncate`. */
export function syslogTruncateArg(n: number | undefined, g?: string): RuntimeArg<unknown> {
  return runtimeArg(network("syslog_truncate", g, ocamlOption(n, String)), {
    packages: NETWORK_RUNTIME,
  });
}

/** `--[group-]syslog-keyname`: the TLS key name of syslog. */
export function syslogKeynameArg(v: string | undefined, g?: string): RuntimeArg<unknown> {
  return runtimeArg(network("syslog_keyname", g, ocamlOption(v, ocamlString)), {
    packages: NETWORK_RUNTIME,
  });
}

/** `--[group-]monitor-hostname`: required by syslog and monitoring. */
export function monitorHostnameArg(g?: string): RuntimeArg<string> {
  return runtimeArg(network("monitor_hostname", g, "()"), { packages: NETWORK_RUNTIME });
}

/** `--[group-]monitor`: the Influx server of mirage-monitoring. */
export function monitorArg(server: string | undefined, g?: string): RuntimeArg<unknown> {
  return runtimeArg(network("monitor", g, ocamlOption(server, ipAddr)), {
    packages: NETWORK_RUNTIME,
  });
}

/** `-l/--logs`: log thresholds. */
export const logsArg: RuntimeArg<unknown> = runtimeArg<unknown>("Mirage_runtime.logs", {
  packages: RUNTIME,
});

// Arguments chosen by name, for devices that take several of one kind.

/** The happy-eyeballs timing arguments, by OCaml term name. */
export type HappyEyeballsTerm =
  | "he_aaaa_timeout"
  | "he_connect_delay"
  | "he_connect_timeout"
  | "he_resolve_timeout"
  | "he_resolve_retries"
  | "he_timer_interval";

const HAPPY_EYEBALLS: Record<HappyEyeballsTerm, typeof heAaaaTimeoutArg> = {
  he_aaaa_timeout: heAaaaTimeoutArg,
  he_connect_delay: heConnectDelayArg,
  he_connect_timeout: heConnectTimeoutArg,
  he_resolve_timeout: heResolveTimeoutArg,
  he_resolve_retries: heResolveRetriesArg,
  he_timer_interval: heTimerIntervalArg,
};

/** `--[group-]he_*`: happy-eyeballs timings (int64 ns; retries an int). */
export function happyEyeballsArg(
  term: HappyEyeballsTerm,
  v: number | bigint | undefined,
  g?: string,
): RuntimeArg<unknown> {
  return HAPPY_EYEBALLS[term](v, g);
}

/** The optional string arguments, by OCaml term name. */
export type OptionalStringTerm =
  | "ssh_key"
  | "ssh_password"
  | "ssh_authenticator"
  | "tls_authenticator"
  | "syslog_keyname";

const OPTIONAL_STRINGS: Record<OptionalStringTerm, typeof sshKeyArg> = {
  ssh_key: sshKeyArg,
  ssh_password: sshPasswordArg,
  ssh_authenticator: sshAuthenticatorArg,
  tls_authenticator: tlsAuthenticatorArg,
  syslog_keyname: syslogKeynameArg,
};

/** `--[group-]ssh-key`, `--ssh-password`, `--ssh-authenticator`, `--tls-authenticator`. */
export function optionalStringArg(
  term: OptionalStringTerm,
  v: string | undefined,
  g?: string,
): RuntimeArg<unknown> {
  return OPTIONAL_STRINGS[term](v, g);
}
