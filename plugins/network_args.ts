/**
 * Boot-time arguments of `Mirage_runtime_network` used by the network devices: the OCaml code
 * `Mirage_runtime_network.<term> [~group:"g" ]<default>`. Each helper declares its argument
 * at one line, so devices of one group asking for the same argument share one registration.
 * @module
 */

import { pkg, type RuntimeArg, runtimeArg } from "../lib/mod.ts";

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

function arg<T>(term: string, g: string | undefined, rest: string): RuntimeArg<T> {
  return runtimeArg<T>(`Mirage_runtime_network.${term} ${group(g)}${rest}`, {
    packages: NETWORK_RUNTIME,
  });
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

/** `--[group-]interface`: the host interface a Unix or Xen netif listens on. */
export function interfaceArg(device: string, g?: string): RuntimeArg<string> {
  return arg("interface", g, ocamlString(device));
}

/** `--[group-]ipv4`: the IPv4 network (address and prefix) of a static stack. */
export function ipv4NetworkArg(prefix: string, g?: string): RuntimeArg<unknown> {
  return arg("V4.network", g, v4Prefix(prefix));
}

/** `--[group-]ipv4-gateway`. */
export function ipv4GatewayArg(gateway: string | undefined, g?: string): RuntimeArg<unknown> {
  return arg("V4.gateway", g, ocamlOption(gateway, v4Addr));
}

/** `--[group-]ipv6`. */
export function ipv6NetworkArg(prefix: string | undefined, g?: string): RuntimeArg<unknown> {
  return arg("V6.network", g, ocamlOption(prefix, v6Prefix));
}

/** `--[group-]ipv6-gateway`. */
export function ipv6GatewayArg(gateway: string | undefined, g?: string): RuntimeArg<unknown> {
  return arg("V6.gateway", g, ocamlOption(gateway, v6Addr));
}

/** `--[group-]accept-router-advertisements`. */
export function acceptRouterAdvertisementsArg(g?: string): RuntimeArg<boolean> {
  return arg("V6.accept_router_advertisements", g, "()");
}

/** `--[group-]ipv4-only`. */
export function ipv4OnlyArg(g?: string): RuntimeArg<boolean> {
  return arg("ipv4_only", g, "()");
}

/** `--[group-]ipv6-only`. */
export function ipv6OnlyArg(g?: string): RuntimeArg<boolean> {
  return arg("ipv6_only", g, "()");
}

/** `--[group-]resolver`: DNS resolvers of conduit's resolver. */
export function resolverArg(
  defaults: readonly string[] | undefined,
  g?: string,
): RuntimeArg<unknown> {
  const d = defaults && defaults.length ? `~default:${ocamlStringList(defaults)} ` : "";
  return arg("resolver", g, `${d}()`);
}

/** `--[group-]dns_servers`. */
export function dnsServersArg(
  servers: readonly string[] | undefined,
  g?: string,
): RuntimeArg<unknown> {
  return arg("dns_servers", g, ocamlOption(servers, ocamlStringList));
}

/** `--[group-]dns_timeout` (nanoseconds). */
export function dnsTimeoutArg(
  timeout: number | bigint | undefined,
  g?: string,
): RuntimeArg<unknown> {
  return arg("dns_timeout", g, ocamlOption(timeout, ocamlInt64));
}

/** `--[group-]dns_cache_size`. */
export function dnsCacheSizeArg(size: number | undefined, g?: string): RuntimeArg<unknown> {
  return arg("dns_cache_size", g, ocamlOption(size, String));
}

/** The happy-eyeballs timing arguments, by OCaml term name. */
export type HappyEyeballsTerm =
  | "he_aaaa_timeout"
  | "he_connect_delay"
  | "he_connect_timeout"
  | "he_resolve_timeout"
  | "he_resolve_retries"
  | "he_timer_interval";

/** `--[group-]he_*`: happy-eyeballs timings (int64 ns; retries an int). */
export function happyEyeballsArg(
  term: HappyEyeballsTerm,
  v: number | bigint | undefined,
  g?: string,
): RuntimeArg<unknown> {
  const show = term === "he_resolve_retries" ? String : ocamlInt64;
  return arg(term, g, ocamlOption(v, show));
}

/** `--[group-]ssh-key`, `--ssh-password`, `--ssh-authenticator`, `--tls-authenticator`. */
export function optionalStringArg(
  term: "ssh_key" | "ssh_password" | "ssh_authenticator" | "tls_authenticator" | "syslog_keyname",
  v: string | undefined,
  g?: string,
): RuntimeArg<unknown> {
  return arg(term, g, ocamlOption(v, ocamlString));
}

/** `--[group-]http-headers`. */
export function httpHeadersArg(
  headers: readonly (readonly [string, string])[] | undefined,
  g?: string,
): RuntimeArg<unknown> {
  const show = (hs: readonly (readonly [string, string])[]) =>
    `[${hs.map(([k, v]) => `(${ocamlString(k)}, ${ocamlString(v)})`).join("; ")}]`;
  return arg("http_headers", g, ocamlOption(headers, show));
}

/** `--[group-]syslog`: the syslog server. */
export function syslogArg(server: string | undefined, g?: string): RuntimeArg<unknown> {
  return arg("syslog", g, ocamlOption(server, ipAddr));
}

/** `--[group-]syslog-port`. */
export function syslogPortArg(port: number | undefined, g?: string): RuntimeArg<unknown> {
  return arg("syslog_port", g, ocamlOption(port, String));
}

/** `--[group-]syslog-truncate`. */
export function syslogTruncateArg(n: number | undefined, g?: string): RuntimeArg<unknown> {
  return arg("syslog_truncate", g, ocamlOption(n, String));
}

/** `--[group-]monitor-hostname`: required by syslog and monitoring. */
export function monitorHostnameArg(g?: string): RuntimeArg<string> {
  return arg("monitor_hostname", g, "()");
}

/** `--[group-]monitor`: the Influx server of mirage-monitoring. */
export function monitorArg(server: string | undefined, g?: string): RuntimeArg<unknown> {
  return arg("monitor", g, ocamlOption(server, ipAddr));
}
