/**
 * unik's public API: the eDSL config.ts files and device plugins are written with.
 *
 * ```ts
 * import { apply, fn, job, kvRo, main, register } from "unik";
 * import { crunch } from "unik/plugins/kv.ts";
 *
 * const app = main("Unikernel.Make", fn(kvRo, job));
 * export default register("hello", [apply(app, crunch("htdocs"))]);
 * ```
 * @module
 */

export {
  argv,
  type Fn,
  fn,
  info,
  job,
  type Typ,
  typ,
  type TypShape,
  type TypsOf,
} from "./dsl/typ.ts";
export {
  type BoolKeyOptions,
  type EnumKeyOptions,
  type FlagKeyOptions,
  type IntKeyOptions,
  key,
  type KeyContext,
  type KeyDesc,
  type KeyKind,
  type KeyOptionsBase,
  type KeyValue,
  type ListKeyOptions,
  type OptionalEnumKeyOptions,
  type OptionalStringKeyOptions,
  type StringKeyOptions,
  Value,
  value,
} from "./dsl/key.ts";
export type { Key as ConfigKey } from "./dsl/key.ts";
export type { TargetFamily } from "./target.ts";
export type { SourcePos } from "./errors.ts";
export { Key } from "./dsl/predefined.ts";
export {
  type Bound,
  type Package,
  type PackageOptions,
  type PackageScope,
  pkg,
} from "./dsl/package.ts";
export { RuntimeArg, runtimeArg, type RuntimeArgOptions } from "./dsl/runtime_arg.ts";
export {
  type Applied,
  apply,
  type Code,
  type ConfigureIO,
  dep,
  Device,
  type DeviceOptions,
  type Drop,
  ifImpl,
  Impl,
  impl,
  type ImplNode,
  type ImplsOf,
  type ImplSpec,
  type Info,
  type Install,
  main,
  type MainOptions,
  type MatchCases,
  matchImpl,
  type MatchOptions,
  noop,
  notice,
  type Prefix,
} from "./dsl/impl.ts";
export { register, type RegisterOptions, Registration } from "./register.ts";
export * from "./dsl/types.ts";
export { defaultArgv, noArgv } from "../plugins/argv.ts";
export { defaultReporter, type LogLevel, noReporter } from "../plugins/reporter.ts";
export {
  defaultMtime,
  defaultPtime,
  defaultSleep,
  mockMtime,
  mockPtime,
  noMtime,
  noPtime,
  noSleep,
} from "../plugins/time.ts";
export { defaultRandom, noRandom } from "../plugins/random.ts";
export { runtimeArgs } from "../plugins/runtime.ts";
