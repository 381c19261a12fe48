/**
 * Logs sent to a syslog server over UDP, TCP or TLS (logs-syslog).
 * @module
 */

import { apply, fn, type Impl, impl, kvRo, pkg, stackv4v6, syslog } from "../lib/mod.ts";
import {
  monitorHostnameArg,
  optionalStringArg,
  syslogArg,
  syslogPortArg,
  syslogTruncateArg,
} from "./network_args.ts";
import { checkArgs, deviceOf, optionsOf, STRING } from "../lib/dsl/args.ts";

/** Options of the syslog reporters. */
export interface SyslogOptions {
  /** Prefix of the boot flags. */
  readonly group?: string;
}

const LOGS_SYSLOG = (sublibs: string[]) =>
  pkg("logs-syslog", { min: "0.5.0", max: "0.6.0", sublibs });
const NO_SERVER = 'Logs.warn (fun m -> m "no syslog server specified, dumping logs to stdout");';

function commonArgs(g?: string) {
  return [
    syslogArg(undefined, g),
    monitorHostnameArg(g),
    syslogPortArg(undefined, g),
    syslogTruncateArg(undefined, g),
  ];
}

/** Logs to `--syslog` over UDP. */
export function syslogUdp(stack: Impl<"stackv4v6">, options: SyslogOptions = {}): Impl<"syslog"> {
  checkArgs(syslogUdp, [stack, options], [["stack", deviceOf(stackv4v6)], [
    "options",
    optionsOf({ group: STRING }),
  ]]);
  const functor = impl("Logs_syslog_mirage.Udp", fn(stackv4v6, syslog), {
    packages: [LOGS_SYSLOG(["mirage"])],
    runtimeArgs: commonArgs(options.group),
    connect: (_i, m, [s, server, hostname, port, truncate]) =>
      [
        `match ${server} with`,
        `| None -> ${NO_SERVER} Lwt.return_unit`,
        "| Some server ->",
        "  let reporter =",
        `    ${m}.create ${s} ~hostname:${hostname} ~port:${port} server ?truncate:${truncate} ()`,
        "  in",
        "  Logs.set_reporter reporter;",
        "  Lwt.return_unit",
      ].join("\n"),
  });
  return apply(functor, stack);
}

function streamConnect(create: string): string {
  return [
    `| Some server ->`,
    `  ${create} >>= function`,
    "  | Ok reporter -> Logs.set_reporter reporter; Lwt.return_unit",
    "  | Error e -> invalid_arg e",
  ].join("\n");
}

/** Logs to `--syslog` over TCP. */
export function syslogTcp(stack: Impl<"stackv4v6">, options: SyslogOptions = {}): Impl<"syslog"> {
  checkArgs(syslogTcp, [stack, options], [["stack", deviceOf(stackv4v6)], [
    "options",
    optionsOf({ group: STRING }),
  ]]);
  const functor = impl("Logs_syslog_mirage.Tcp", fn(stackv4v6, syslog), {
    packages: [LOGS_SYSLOG(["mirage"])],
    runtimeArgs: commonArgs(options.group),
    connect: (_i, m, [s, server, hostname, port, truncate]) =>
      [
        `match ${server} with`,
        `| None -> ${NO_SERVER} Lwt.return_unit`,
        streamConnect(
          `${m}.create ${s} ~hostname:${hostname} ~port:${port} server ?truncate:${truncate} ()`,
        ),
      ].join("\n"),
  });
  return apply(functor, stack);
}

/** Logs to `--syslog` over TLS, with the key and certificates from `kv`. */
export function syslogTls(
  stack: Impl<"stackv4v6">,
  kv: Impl<"kv_ro">,
  options: SyslogOptions = {},
): Impl<"syslog"> {
  checkArgs(syslogTls, [stack, kv, options], [["stack", deviceOf(stackv4v6)], [
    "kv",
    deviceOf(kvRo),
  ], ["options", optionsOf({ group: STRING })]]);
  const g = options.group;
  const functor = impl("Logs_syslog_mirage_tls.Tls", fn(stackv4v6, kvRo, syslog), {
    packages: [LOGS_SYSLOG(["mirage", "mirage.tls"])],
    runtimeArgs: [...commonArgs(g), optionalStringArg("syslog_keyname", undefined, g)],
    connect: (_i, m, [s, k, server, hostname, port, truncate, keyname]) =>
      [
        `match ${server} with`,
        `| None -> ${NO_SERVER} Lwt.return_unit`,
        streamConnect(
          `${m}.create ${s} ${k} ~hostname:${hostname} ~port:${port} server ?truncate:${truncate} ?keyname:${keyname} ()`,
        ),
      ].join("\n"),
  });
  return apply(functor, stack, kv);
}
