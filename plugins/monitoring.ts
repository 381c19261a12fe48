/**
 * Metrics to an Influx server (mirage-monitoring), as a job.
 * @module
 */

import { apply, fn, type Impl, impl, job, pkg, stackv4v6 } from "../lib/mod.ts";
import { monitorArg, monitorHostnameArg } from "./network_args.ts";
import { checkArgs, deviceOf, optionsOf, STRING } from "../lib/dsl/args.ts";

/** Options of {@link monitoring}. */
export interface MonitoringOptions {
  /** Prefix of the boot flags. */
  readonly group?: string;
}

/**
 * Sends statistics to `--monitor` as `--monitor-hostname`. (mirage 4.9 swaps the two in the
 * generated code, which does not compile; unik passes them in their places.)
 */
export function monitoring(stack: Impl<"stackv4v6">, options: MonitoringOptions = {}): Impl<"job"> {
  checkArgs(monitoring, [stack, options], [["stack", deviceOf(stackv4v6)], [
    "options",
    optionsOf({ group: STRING }),
  ]]);
  const functor = impl("Mirage_monitoring.Make", fn(stackv4v6, job), {
    packages: [pkg("mirage-monitoring", { min: "0.0.6", max: "0.1.0" })],
    runtimeArgs: [monitorArg(undefined, options.group), monitorHostnameArg(options.group)],
    connect: (_i, m, [s, monitor, hostname]) =>
      `Lwt.return (match ${monitor} with | None -> Logs.warn (fun m -> m "no monitor specified, not outputting statistics") | Some ip -> ${m}.create ip ~hostname:${hostname} ${s})`,
  });
  return apply(functor, stack);
}
