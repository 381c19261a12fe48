/**
 * The boot command line: read by mirage-bootvar from the target's boot parameters.
 * @module
 */

import { argv, type Impl, impl, Key, matchImpl, pkg } from "../lib/mod.ts";

function bootvar(sublib: string): Impl<"argv"> {
  return impl("Mirage_bootvar", argv, {
    packages: [pkg("mirage-bootvar", { min: "1.0.0", max: "2.0.0", sublibs: ["", sublib] })],
    connect: () => "return (Mirage_bootvar.argv ())",
  });
}

/** The boot command line of the target (Unix argv, Solo5 or Xen boot parameters). */
export const defaultArgv: Impl<"argv"> = matchImpl(
  Key.family,
  { xen: bootvar("xen"), solo5: bootvar("solo5") },
  bootvar("unix"),
);

/** An empty command line: runtime arguments keep their defaults. */
export const noArgv: Impl<"argv"> = impl("Mirage_runtime", argv, {
  connect: () => `return [|""|]`,
});
