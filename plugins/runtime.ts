/**
 * The jobs every unikernel starts with: parsing the boot command line, the OCaml runtime
 * settings and the start-up delay; and the runtime arguments they use.
 * @module
 */

import { type Impl, impl, type Info, job, pkg, runtimeArg } from "../lib/mod.ts";
import { delayArg } from "./network_args.ts";

// Defined with the other standard arguments, in mirage 4.9's order (see network_args.ts).
export { delayArg, logsArg } from "./network_args.ts";

// Registered after network_args.ts's arguments, as mirage registers it after those of its
// runtime_arg.ml: this file's name sorts after that one's.
const ocamlRuntimeArg = runtimeArg<unknown>(
  "Cmdliner_stdlib.setup ~backtrace:(Some true) ~randomize_hashtables:(Some true) ()",
);

/**
 * The job that parses the boot command line with every registered runtime argument
 * (OCaml's `runtime_args argv`). The generated main.ml registers the arguments where this
 * device stands in the graph.
 */
export function runtimeArgs(argv: Impl<"argv">): Impl<"job"> {
  return impl("struct end", job, {
    packages: [pkg("mirage-runtime")],
    extraDeps: [argv],
    registersRuntimeArgs: true,
    connect: (info: Info, _m: string, [argvVar]: readonly string[]) =>
      `return Mirage_runtime.(with_argv (runtime_args ()) "${info.name}" ${argvVar})`,
  });
}

/** OCaml runtime parameters (backtraces, hashtable randomisation, GC) as boot flags. */
export const ocamlRuntime: Impl<"job"> = impl("Cmdliner_stdlib", job, {
  packages: [pkg("cmdliner-stdlib", { min: "1.0.1", max: "2.0.0" })],
  runtimeArgs: [ocamlRuntimeArg],
});

/** Waits `--delay` seconds before the other jobs start. */
export const delayStartup: Impl<"job"> = impl("Mirage_runtime", job, {
  packages: [pkg("duration", { max: "1.0.0" })],
  runtimeArgs: [delayArg],
  connect: (_i, _m, [delay]) => `Mirage_sleep.ns (Duration.of_sec ${delay})`,
});
