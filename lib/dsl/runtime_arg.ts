/**
 * Runtime (boot-time) arguments: OCaml expressions of type `'a Cmdliner.Term.t` registered in
 * the generated main.ml and parsed when the unikernel boots.
 * @module
 */

import { configError } from "../errors.ts";
import type { Package } from "./package.ts";
import { LazyPos } from "./pos.ts";
import { showValue } from "./show_value.ts";

/** Options of {@link runtimeArg}. */
export interface RuntimeArgOptions {
  /** opam packages the term's code needs. */
  readonly packages?: readonly Package[];
}

/** OCaml-safe identifier characters of a string: `-`, `.` and space become `_`. */
export function ocamlify(s: string): string {
  return s.replace(/[-. ]/g, "_").replace(/[^A-Za-z0-9_]/g, "");
}

/** A boot-time argument whose parsed value has OCaml type `T` (a phantom for config.ts). */
export class RuntimeArg<T = unknown> {
  /** The OCaml term, e.g. `Unikernel.port`. */
  readonly code: string;
  /** opam packages the code needs. */
  readonly packages: readonly Package[];
  /** Lower-cased ocamlified code: the stem of the generated variables. */
  readonly name: string;
  readonly #pos: LazyPos;
  /** Phantom. */
  declare readonly _phantom?: T;

  /** Use {@link runtimeArg} instead. */
  constructor(code: string, options: RuntimeArgOptions, pos: LazyPos) {
    if (typeof code !== "string") {
      throw configError(
        `runtimeArg needs an OCaml term as a string, but it is ${showValue(code)}`,
        {
          hint: 'pass the OCaml expression of a Cmdliner term, e.g. runtimeArg("Unikernel.port")',
        },
      );
    }
    const name = ocamlify(code).toLowerCase();
    if (name === "" || /^[0-9]/.test(name)) {
      throw configError(
        `runtime argument ${JSON.stringify(code)} does not name an OCaml term`,
        { hint: 'pass the OCaml expression of a Cmdliner term, e.g. "Unikernel.port"' },
      );
    }
    this.code = code;
    this.packages = options.packages ?? [];
    this.name = name;
    this.#pos = pos;
  }

  /** Where the argument was declared (absolute URL and line). */
  get pos(): { file: string; line: number } | undefined {
    const p = this.#pos.value;
    return p && { file: p.file, line: p.line };
  }

  /** Two arguments declared at the same place with the same code are one argument. */
  get identity(): string {
    const p = this.pos;
    const pkgs = this.packages.map((x) => x.name).join(",");
    return `${p?.file ?? ""}\u0000${p?.line ?? 0}\u0000${this.name}\u0000${this.code}\u0000${pkgs}`;
  }
}

/** A runtime argument from an OCaml Cmdliner term (OCaml's `Runtime_arg.create ~pos`). */
export function runtimeArg<T = unknown>(
  code: string,
  options: RuntimeArgOptions = {},
): RuntimeArg<T> {
  return new RuntimeArg<T>(code, options, new LazyPos(runtimeArg));
}
