/**
 * Name resolution for conduit (`Resolver_mirage.S`): DNS over a stack, or the host's resolver
 * on Unix.
 * @module
 */

import { apply, fn, type Impl, impl, Key, pkg, resolver, stackv4v6 } from "../lib/mod.ts";
import { resolverArg } from "./network_args.ts";
import { checkArgs, deviceOf, optionsOf, STRINGS } from "../lib/dsl/args.ts";

const CONDUIT_MIRAGE = pkg("conduit-mirage", { min: "8.0.0", max: "9.0.0" });

/** Options of {@link resolverDns}. */
export interface ResolverDnsOptions {
  /** Default name servers (`--resolver`). */
  readonly ns?: readonly string[];
}

/** A DNS resolver over `stack`. */
export function resolverDns(
  stack: Impl<"stackv4v6">,
  options: ResolverDnsOptions = {},
): Impl<"resolver"> {
  checkArgs(resolverDns, [stack, options], [["stack", deviceOf(stackv4v6)], [
    "options",
    optionsOf({ ns: STRINGS }),
  ]]);
  const functor = impl("Resolver_mirage.Make", fn(stackv4v6, resolver), {
    packages: [CONDUIT_MIRAGE],
    runtimeArgs: [resolverArg(options.ns)],
    connect: (_i, m, [s, nameservers]) =>
      [
        `let nameservers = ${nameservers} in`,
        `${m}.v ?nameservers ${s} >|= function`,
        "| Ok r -> r",
        "| Error (`Msg e) -> invalid_arg e",
      ].join("\n"),
  });
  return apply(functor, stack);
}

/** The host's resolver. Unix only. */
export const resolverUnixSystem: Impl<"resolver"> = impl("Resolver_lwt", resolver, {
  packagesV: Key.isUnix.map((unix) =>
    unix ? [CONDUIT_MIRAGE, pkg("conduit-lwt-unix", { min: "8.0.0", max: "9.0.0" })] : []
  ),
  connect: () => "Lwt.return Resolver_lwt_unix.system",
  targets: ["unix", "macosx"],
});
