/**
 * Implementations (Functoria's `impl`): devices, functor applications and configure-time
 * choices. A device is the unit a plugin exports; `apply` applies a functor device to
 * arguments and is typed so that `deno check` rejects a wrong application, and checked at run
 * time so that configure rejects it too, without a type-check.
 * @module
 */

import { configError, type UnikError } from "../errors.ts";
import { checkFindlibName, requireField } from "../validate/mod.ts";
import type { Key, Value } from "./key.ts";
import type { Package } from "./package.ts";
import { callerOf, isUnikSource, LazyPos } from "./pos.ts";
import { argumentPosAt, argumentTextAt, describeCall, propertyAt } from "./call_text.ts";
import { showValue } from "./show_value.ts";
import type { RuntimeArg } from "./runtime_arg.ts";
import { applyShape, type Fn, isFunctor, job, sameTyp, showTyp, type Typ } from "./typ.ts";
import type { TypShape } from "./typ.ts";

/** Build information handed to device hooks. */
export interface Info {
  /** The register name. */
  readonly name: string;
  /** The `-o` value, if any. */
  readonly output?: string;
  /** The chosen target. */
  readonly target: string;
  /** Main module file name without `.ml` (`main`, or the `-o` value). */
  readonly mainModule: string;
  /** The config file, relative to the project root. */
  readonly configFile: string;
  /** The value of a configure-time key. */
  get<T>(key: Key<T>): T;
  /** The number a configure hook registered a block device under (from 1), if any. */
  blockNumber(name: string): number | undefined;
}

/** What a device's configure hook may produce. */
export interface ConfigureIO {
  /** Writes a generated file into the `mirage/` directory. */
  writeFile(name: string, contents: string): void;
  /** Registers a network interface name (for the Solo5 manifest and Xen files). */
  registerNetwork(name: string): void;
  /** Registers a block device name and returns its number (from 1). */
  registerBlock(name: string): number;
}

/** Files installed with the unikernel: binaries and etc files (relative to dist/). */
export interface Install {
  /** `[source, destination]` pairs. */
  readonly bin?: readonly (readonly [string, string])[];
  /** etc files. */
  readonly etc?: readonly string[];
}

/** Connect code, optionally with the source position it comes from. */
export type Code = string | {
  readonly code: string;
  readonly pos?: { file: string; line: number };
};

/** The hooks and requirements of a device (OCaml's labelled arguments of `impl`). */
export interface DeviceOptions {
  /** Static opam packages. */
  readonly packages?: readonly Package[];
  /** Packages depending on key values (e.g. the target). */
  readonly packagesV?: Value<readonly Package[]>;
  /** Libraries of the unikernel's own project linked in, with no opam package. */
  readonly localLibs?: readonly string[];
  /** Configure-time keys the device reads. */
  readonly keys?: readonly Key<unknown>[];
  /** Boot-time arguments passed to connect after the functor arguments and extra deps. */
  readonly runtimeArgs?: readonly RuntimeArg<unknown>[];
  /** Dependencies that are not functor arguments; initialised before the device. */
  readonly extraDeps?: readonly Impl<unknown>[];
  /**
   * The OCaml expression that connects the device (type `'a io`), given build info, the
   * module name to use and the variables of arguments, extra deps and runtime args.
   */
  readonly connect?: (info: Info, moduleName: string, args: readonly string[]) => Code;
  /** Extra dune stanzas for `dune.build`. */
  readonly dune?: (info: Info) => readonly string[];
  /** Configure-time work: generated files, registered networks and blocks, validation. */
  readonly configure?: (info: Info, io: ConfigureIO) => void;
  /** Files the device installs. */
  readonly install?: (info: Info) => Install;
  /** The targets the device supports (default: all). */
  readonly targets?: readonly string[];
  /**
   * Marks the job that parses the boot command line: main.ml registers every runtime
   * argument where this device stands in the graph (mirage's `runtime_args` job).
   */
  readonly registersRuntimeArgs?: boolean;
}

let nextDeviceId = 1;

/** The id of the last device made (0 before any): devices made later have greater ids. */
export function lastDeviceId(): number {
  return nextDeviceId - 1;
}

/** A device: a module or functor with its requirements. Each {@link impl} call makes a new one. */
export class Device {
  /** Identity: devices are equal only when they are the same `impl` call's result. */
  readonly id: number;
  /** OCaml module or functor path. */
  readonly moduleName: string;
  /** Its module type. */
  readonly typ: TypShape;
  /** Requirements and hooks. */
  readonly options: DeviceOptions;
  readonly #pos: LazyPos;

  /** Use {@link impl} instead. */
  constructor(moduleName: string, typ: TypShape, options: DeviceOptions, pos: LazyPos) {
    if (moduleName.trim() === "") throw configError("a device's module name cannot be empty");
    for (const l of options.localLibs ?? []) {
      requireField(`device ${moduleName}: localLibs`, l, checkFindlibName);
    }
    this.id = nextDeviceId++;
    this.moduleName = moduleName;
    this.typ = typ;
    this.options = options;
    this.#pos = pos;
  }

  /** Where the device was defined (absolute URL and line). */
  get pos(): { file: string; line: number } | undefined {
    const p = this.#pos.value;
    return p && { file: p.file, line: p.line };
  }

  /**
   * A short description for messages: what the user wrote to make it and where
   * (`blockOfFile("storage") (config.ts:5, module Block)`) when a plugin made it for them,
   * else its module name and definition place.
   */
  describe(): string {
    const call = this.#pos.call;
    if (call && !call.direct) return describeCall(call, this.moduleName);
    const p = this.pos;
    return p ? `${this.moduleName} (${shortFile(p.file)}:${p.line})` : this.moduleName;
  }
}

function shortFile(file: string): string {
  const slash = file.lastIndexOf("/");
  return slash >= 0 ? file.slice(slash + 1) : file;
}

/** The nodes of an implementation graph. */
export type ImplNode =
  | {
    readonly kind: "dev";
    readonly device: Device;
    readonly args: readonly Impl<unknown>[];
    readonly deps: readonly Impl<unknown>[];
  }
  | { readonly kind: "app"; readonly head: Impl<unknown>; readonly args: readonly Impl<unknown>[] }
  | {
    readonly kind: "if";
    readonly cond: Value<unknown>;
    readonly branches: readonly (readonly [unknown, Impl<unknown>])[];
    readonly default: Impl<unknown>;
  };

/** An implementation of module type `T`. */
export class Impl<T> {
  /** The node. */
  readonly node: ImplNode;
  /** Its module type at run time (what is left after partial application). */
  readonly typ: TypShape;
  /** Phantom. */
  declare readonly _phantom?: T;
  readonly #made: LazyPos | undefined;

  /**
   * Use {@link impl}, {@link apply}, {@link ifImpl} or {@link matchImpl} instead. `made` is
   * where the eDSL call that made it was (to name it in messages).
   */
  constructor(node: ImplNode, typ: TypShape, made?: LazyPos) {
    this.node = node;
    this.typ = typ;
    this.#made = made;
  }

  /**
   * How messages name it: what the user wrote to make it (`blockOfFile("storage")
   * (config.ts:5)`) when a plugin made it for them, else its device or choice.
   */
  describe(): string {
    const call = this.#made?.call;
    const n = this.node;
    if (call && !call.direct) {
      return describeCall(call, n.kind === "if" ? undefined : headName(this));
    }
    if (n.kind === "dev") return n.device.describe();
    if (n.kind === "app") return n.head.describe();
    return call ? describeCall(call) : "a configure-time choice";
  }
}

/** All labelled options of {@link impl}, plus the module name and type for the object form. */
export interface ImplSpec<T> extends DeviceOptions {
  /** OCaml module or functor path. */
  readonly module: string;
  /** Its module type. */
  readonly type: Typ<T>;
}

/**
 * Declares a device (Functoria's `impl`): `impl("Netif", network, { connect, packages })` or
 * `impl({ module: "Netif", type: network, connect, packages })`.
 */
/** Declares a device from one object naming its module, type and options. */
export function impl<T>(spec: ImplSpec<T>): Impl<T>;
/** Declares a device from its module name, its module type and its options. */
export function impl<T>(moduleName: string, type: Typ<T>, options?: DeviceOptions): Impl<T>;
export function impl<T>(
  first: string | ImplSpec<T>,
  type?: Typ<T>,
  options: DeviceOptions = {},
): Impl<T> {
  const pos = new LazyPos(impl);
  if (typeof first === "string" || typeof first !== "object" || first === null) {
    checkDeviceSpec("impl", first, type, options);
    return deviceImpl(new Device(first as string, type!.shape, options, pos));
  }
  const { module, type: t, ...rest } = first;
  checkDeviceSpec("impl", module, t, rest);
  return deviceImpl(new Device(module, t.shape, rest, pos));
}

/** Whether `t` is a module type (`job`, `typ("block")`, `fn(kvRo, job)`). */
function isTyp(t: unknown): t is Typ<unknown> {
  const shape = (t as { shape?: { kind?: unknown } } | null | undefined)?.shape;
  return shape?.kind === "leaf" || shape?.kind === "fn";
}

/**
 * Checks what `impl` or `main` is given before reading it: a module name, a module type and,
 * if any, an options object; config.ts runs without a type-check.
 */
function checkDeviceSpec(api: string, moduleName: unknown, type: unknown, options: unknown): void {
  const usage = `${api}("Module.Name", type, { ... })`;
  if (typeof moduleName !== "string") {
    throw configError(
      `${api} needs the module's name (a string) first, but it is ${showValue(moduleName)}`,
      { hint: `write ${usage}` },
    );
  }
  if (!isTyp(type)) {
    throw configError(
      `${api} ${
        JSON.stringify(moduleName)
      } needs a module type (job, kvRo, fn(kvRo, job), ...), but it is ${showValue(type)}`,
      { hint: `write ${usage}` },
    );
  }
  if (
    options !== undefined &&
    (typeof options !== "object" || options === null || Array.isArray(options))
  ) {
    throw configError(
      `${api} ${JSON.stringify(moduleName)}: its options must be an object, but it is ${
        showValue(options)
      }`,
      { hint: `write ${usage}` },
    );
  }
}

/** The implementation of a device with no argument applied yet. */
export function deviceImpl<T>(device: Device): Impl<T> {
  const deps = device.options.extraDeps ?? [];
  return new Impl<T>({ kind: "dev", device, args: [], deps }, device.typ);
}

/** The implementations of a tuple of module types. */
export type ImplsOf<A extends readonly unknown[]> = { [K in keyof A]: Impl<A[K]> };
/** Every prefix of a tuple: the arguments a functor may be applied to so far. */
export type Prefix<A extends readonly unknown[]> = A extends readonly [infer H, ...infer R]
  ? [] | [H, ...Prefix<R>]
  : [];
/** A tuple without as many leading elements as `P` has: the arguments left to apply. */
export type Drop<A extends readonly unknown[], P extends readonly unknown[]> = P extends
  readonly [unknown, ...infer PR]
  ? (A extends readonly [unknown, ...infer AR] ? Drop<AR, PR> : never)
  : A;
/** The type of a functor applied to some of its arguments. */
export type Applied<A extends readonly unknown[], R> = A extends readonly [] ? R : Fn<A, R>;

/**
 * Applies a functor to arguments, in order (OCaml's `f $ a $ b`); partial application gives a
 * functor of the remaining arguments.
 */
export function apply<A extends unknown[], R, const P extends Prefix<A>>(
  f: Impl<Fn<A, R>>,
  ...args: ImplsOf<P>
): Impl<Applied<Drop<A, P>, R>> {
  if (!(f instanceof Impl)) {
    throw applicationError(
      (_, a) => ({
        message: `apply's first argument, ${a}, is not a device (it is ${showValue(f)})`,
        hint: "apply(f, x, ...) applies the functor device f to the devices x, ...",
      }),
      undefined,
      f,
      0,
    );
  }
  const made = new LazyPos(apply);
  let result: Impl<unknown> = f as Impl<unknown>;
  for (const [i, arg] of (args as readonly unknown[]).entries()) {
    const problem = applicationProblem(result, arg);
    if (problem) throw applicationError(problem, result, arg, i + 1);
    result = applyOne(result, arg as Impl<unknown>, made);
  }
  return result as Impl<Applied<Drop<A, P>, R>>;
}

function headName(f: Impl<unknown>): string {
  const n = f.node;
  if (n.kind === "dev") return n.device.moduleName;
  if (n.kind === "app") return headName(n.head);
  return f.describe();
}

/** What is wrong with applying `f` to `arg`, given how both are named; nothing if it is fine. */
type Problem = (head: string, arg: string) => { message: string; hint?: string };

function applicationProblem(f: Impl<unknown>, arg: unknown): Problem | undefined {
  if (!(arg instanceof Impl)) {
    return (head, a) => ({
      message: `${head} is applied to ${a}, which is not a device (it is ${showValue(arg)})`,
    });
  }
  if (f.typ.kind !== "fn") {
    const typ = showTyp(f.typ);
    return (head, a) => ({
      message:
        `${head} is applied to too many arguments: its type ${typ} is not a functor, and ${a} is one more`,
      hint: "remove the extra argument, or declare the functor with fn(...) taking it",
    });
  }
  const expected = f.typ.args[0];
  if (!sameTyp(expected, arg.typ)) {
    return (head, a) => ({
      message: `${head} expects an argument of type ${showTyp(expected)}, but ${a} has type ${
        showTyp(arg.typ)
      }`,
    });
  }
  return undefined;
}

/**
 * The error of a wrong application, at the offending argument (`index` of the `apply` call)
 * and naming it as the user wrote it, when the call is the user's and its text known.
 */
function applicationError(
  problem: Problem,
  head: Impl<unknown> | undefined,
  arg: unknown,
  index: number,
): UnikError {
  const site = callerOf(apply);
  const users = site && !isUnikSource(site.file) ? site : undefined;
  const text = users && argumentTextAt(users, index);
  // The functor is named by its module (App.Make), the argument as the user wrote it.
  const { message, hint } = problem(
    head ? headName(head) : "",
    arg instanceof Impl ? describeGiven(arg, text) : text ?? showValue(arg),
  );
  return configError(message, { hint, pos: users && argumentPosAt(users, index) });
}

/**
 * How a message names a value given to the eDSL: a device by its text at the call (`net`,
 * `blockOfFile("storage")`) with its module if that says more (`net (Netif)`), anything else
 * by what it is (`the number 8080`).
 */
export function describeGiven(v: unknown, text?: string): string {
  if (!(v instanceof Impl)) return showValue(v);
  const module = v.node.kind === "if" ? undefined : headName(v);
  if (text === undefined) return module ?? v.describe();
  return module === undefined || text.includes(module) ? text : `${text} (${module})`;
}

function applyOne(f: Impl<unknown>, arg: Impl<unknown>, made: LazyPos): Impl<unknown> {
  const typ = applyShape(f.typ as TypShape & { kind: "fn" }, 1);
  const n = f.node;
  if (n.kind === "dev") return new Impl({ ...n, args: [...n.args, arg] }, typ, made);
  if (n.kind === "app") return new Impl({ ...n, args: [...n.args, arg] }, typ, made);
  return new Impl({ kind: "app", head: f, args: [arg] }, typ, made);
}

/** Erases the type of an implementation, to list it as an extra dependency. */
export function dep<T>(x: Impl<T>): Impl<unknown> {
  return x as Impl<unknown>;
}

/** Chooses `then` or `otherwise` at configure time from a boolean value. */
export function ifImpl<T>(
  cond: Value<boolean>,
  then: Impl<T>,
  otherwise: Impl<NoInfer<T>>,
): Impl<T> {
  sameBranchTypes(ifImpl, [{ impl: then, arg: 1 }, { impl: otherwise, arg: 2 }]);
  return new Impl<T>(
    {
      kind: "if",
      cond: cond as Value<unknown>,
      branches: [[true, then], [false, otherwise]],
      default: then,
    },
    then.typ,
    new LazyPos(ifImpl),
  );
}

/** The cases of {@link matchImpl}: `[tag, impl]` pairs, or an object for string tags. */
export type MatchCases<V, T> =
  | readonly (readonly [V, Impl<NoInfer<T>>])[]
  | (V extends string ? Partial<Record<V, Impl<NoInfer<T>>>> : never);

/** Options of {@link matchImpl}: OCaml's labelled `~default`. */
export interface MatchOptions<T> {
  /** The implementation when no case's tag equals the value. */
  readonly default: Impl<T>;
}

/**
 * Chooses an implementation at configure time from a value: the first case whose tag equals
 * the value, else the default (OCaml's `match_impl v cases ~default`), given in an options
 * object: `matchImpl(Key.family, { xen: a }, { default: b })`.
 */
export function matchImpl<V, T>(
  v: Value<V>,
  cases: MatchCases<V, T>,
  options: MatchOptions<T>,
): Impl<T>;
/** The same, with the default as the last argument: `matchImpl(Key.family, { xen: a }, b)`. */
export function matchImpl<V, T>(v: Value<V>, cases: MatchCases<V, T>, otherwise: Impl<T>): Impl<T>;
export function matchImpl<V, T>(
  v: Value<V>,
  cases: MatchCases<V, T>,
  last: Impl<T> | MatchOptions<T>,
): Impl<T> {
  const otherwise = last instanceof Impl
    ? last
    : (last as Partial<MatchOptions<T>> | undefined)?.default;
  if (!(otherwise instanceof Impl)) {
    throw configError(
      last === undefined || last instanceof Impl || typeof last !== "object"
        ? "matchImpl has no default: it takes the value, the cases and the default"
        : "matchImpl's options have no default device",
      { hint: "write matchImpl(value, cases, { default: impl })" },
    );
  }
  if (cases === null || typeof cases !== "object") {
    throw configError("matchImpl's cases are neither a list of [tag, impl] pairs nor an object", {
      hint: 'write matchImpl(value, { tag: impl, ... }, { default: impl }) or [["tag", impl]]',
    });
  }
  const list: (readonly [unknown, Impl<unknown>])[] = Array.isArray(cases)
    ? [...cases]
    : Object.entries(cases as Record<string, Impl<unknown>>);
  sameBranchTypes(matchImpl, [
    ...list.map(([tag, i]) => ({
      impl: i,
      arg: 1,
      tag: Array.isArray(cases) ? undefined : String(tag),
      inCases: true,
    })),
    { impl: otherwise, arg: 2 },
  ]);
  return new Impl<T>(
    {
      kind: "if",
      cond: v as Value<unknown>,
      branches: list,
      default: otherwise,
    },
    otherwise.typ,
    new LazyPos(matchImpl),
  );
}

/** A branch of a choice: the device and where it is written in the call (argument, property). */
interface Branch {
  /** The branch. */
  readonly impl: unknown;
  /** The argument it is, or is in. */
  readonly arg: number;
  /** Its tag, when it is a property of an object of cases. */
  readonly tag?: string;
  /** Whether it is one case among others in the argument. */
  readonly inCases?: boolean;
}

/**
 * Checks that the branches of a choice made by `api` are devices of one type; the error names
 * the branch as written and points at it, when the call is the user's and its text known.
 */
// deno-lint-ignore ban-types
function sameBranchTypes(api: Function, branches: readonly Branch[]): void {
  const first = branches[0].impl as Impl<unknown>;
  for (const b of branches) {
    const bad = !(b.impl instanceof Impl)
      ? `is not a device (it is ${showValue(b.impl)})`
      : !sameTyp(b.impl.typ, first.typ)
      ? `has type ${showTyp(b.impl.typ)}, but the first has type ${showTyp(first.typ)}`
      : undefined;
    if (bad === undefined) continue;
    const site = callerOf(api);
    const users = site && !isUnikSource(site.file) ? site : undefined;
    const property = users && b.tag !== undefined ? propertyAt(users, b.arg, b.tag) : undefined;
    const text = property?.text ?? (users && !b.inCases ? argumentTextAt(users, b.arg) : undefined);
    throw configError(
      `the branches of ${api.name} must be devices of one type: ${
        describeGiven(b.impl, text)
      } ${bad}`,
      { pos: property?.pos ?? (users && argumentPosAt(users, b.arg)) },
    );
  }
}

/** The job that does nothing (module `Unit`). */
export const noop: Impl<"job"> = impl("Unit", job);

/** Options of {@link main}. */
export interface MainOptions {
  /** opam packages the unikernel needs. */
  readonly packages?: readonly Package[];
  /** Packages depending on key values. */
  readonly packagesV?: Value<readonly Package[]>;
  /** Libraries of the project itself. */
  readonly localLibs?: readonly string[];
  /** Configure-time keys the unikernel reads. */
  readonly keys?: readonly Key<unknown>[];
  /** Boot-time arguments passed to `start` after the functor arguments and deps. */
  readonly runtimeArgs?: readonly RuntimeArg<unknown>[];
  /** Extra dependencies passed to `start` after the functor arguments. */
  readonly deps?: readonly Impl<unknown>[];
}

/** Messages the eDSL prints while a config is evaluated (mirage prints them on stdout). */
export const notices: string[] = [];

/** Prints `message` when the configuration is evaluated (a deprecation, say). */
export function notice(message: string): void {
  if (!notices.includes(message)) notices.push(message);
}

/**
 * The user's unikernel (OCaml's `main`): `main("Unikernel.Make", fn(kvRo, job))`. Its connect
 * code calls `start` with the functor arguments, the deps and the runtime arguments. A
 * non-functor main with no deps gets `noop` as its dep so that `start ()` delays execution.
 */
export function main<T>(moduleName: string, type: Typ<T>, options: MainOptions = {}): Impl<T> {
  const pos = new LazyPos(main);
  checkDeviceSpec("main", moduleName, type, options);
  let deps = options.deps ?? [];
  if (!isFunctor(type.shape) && deps.length === 0) {
    notice("adding unit argument to 'start ()' (to delay execution)");
    deps = [noop];
  }
  const device = new Device(moduleName, type.shape, {
    packages: options.packages,
    packagesV: options.packagesV,
    localLibs: options.localLibs,
    keys: options.keys,
    runtimeArgs: options.runtimeArgs,
    extraDeps: deps,
    connect: (_info, name, args) => ({
      code: `(${[`${name}.start`, ...args].join(" ")} : unit io)`,
      pos: pos.value && { file: pos.value.file, line: pos.value.line },
    }),
  }, pos);
  return deviceImpl(device);
}
