/**
 * Module types: leaf types (`typ("block")`) and functor types (`fn(a, b, job)`, OCaml's
 * `a @-> b @-> job`). The type parameter carries the module type to the TypeScript checker;
 * the run-time value carries the same information so that a wrong application is also caught
 * when config.ts runs without a type-check.
 * @module
 */

/** A functor from modules of types `A` to a module of type `R`. */
export interface Fn<A extends readonly unknown[], R> {
  /** Phantom: the argument types. */
  readonly args: A;
  /** Phantom: the result type. */
  readonly result: R;
}

/** The run-time shape of a module type. */
export type TypShape =
  | { readonly kind: "leaf"; readonly name: string }
  | { readonly kind: "fn"; readonly args: readonly TypShape[]; readonly result: TypShape };

/** A module type. `T` is a phantom: the leaf name, or an {@link Fn}. */
export interface Typ<T> {
  /** The run-time description of the type. */
  readonly shape: TypShape;
  /** Phantom, invariant in `T`: never set. */
  readonly _phantom?: (x: T) => T;
}

/** The module types of a tuple of types: the arguments of {@link fn}. */
export type TypsOf<A extends readonly unknown[]> = { [K in keyof A]: Typ<A[K]> };

/** A leaf module type named `name` (`typ("block")`). Two leaves are equal when named alike. */
export function typ<const N extends string>(name: N): Typ<N> {
  return { shape: { kind: "leaf", name } };
}

/**
 * A functor type: every argument but the last is a parameter type, the last is the result
 * (OCaml's `a @-> b @-> r`).
 */
export function fn<A extends unknown[], R>(...types: [...TypsOf<A>, Typ<R>]): Typ<Fn<A, R>> {
  if (types.length < 2) {
    throw new TypeError("fn needs at least one argument type and a result type");
  }
  const shapes = types.map((t) => t.shape);
  const result = shapes[shapes.length - 1];
  return { shape: { kind: "fn", args: shapes.slice(0, -1), result } };
}

/** Whether a type is a functor type. */
export function isFunctor(shape: TypShape): boolean {
  return shape.kind === "fn";
}

/** Structural equality of module types. */
export function sameTyp(a: TypShape, b: TypShape): boolean {
  if (a.kind === "leaf") return b.kind === "leaf" && a.name === b.name;
  if (b.kind === "leaf") return false;
  return a.args.length === b.args.length && sameTyp(a.result, b.result) &&
    a.args.every((arg, i) => sameTyp(arg, b.args[i]));
}

/** OCaml-like rendering of a type: `block -> kv_ro -> job`. */
export function showTyp(shape: TypShape): string {
  if (shape.kind === "leaf") return shape.name;
  const arg = (s: TypShape) => (s.kind === "fn" ? `(${showTyp(s)})` : showTyp(s));
  return [...shape.args.map(arg), showTyp(shape.result)].join(" -> ");
}

/** The type left after applying a functor type to `n` arguments. */
export function applyShape(shape: TypShape & { kind: "fn" }, n: number): TypShape {
  const rest = shape.args.slice(n);
  return rest.length === 0 ? shape.result : { kind: "fn", args: rest, result: shape.result };
}

/** The type of jobs: modules with a `start` function. */
export const job: Typ<"job"> = typ("job");
/** The type of the boot command line device. */
export const argv: Typ<"argv"> = typ("argv");
/** The type of build information. */
export const info: Typ<"info"> = typ("info");
