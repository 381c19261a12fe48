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

export { argv, type Fn, fn, info, job, type Typ, typ } from "./dsl/typ.ts";
export {
  key,
  type KeyContext,
  type KeyDesc,
  type KeyKind,
  type KeyValue,
  Value,
  value,
} from "./dsl/key.ts";
export { Key } from "./dsl/predefined.ts";
export { type Package, type PackageOptions, type PackageScope, pkg } from "./dsl/package.ts";
export { RuntimeArg, runtimeArg, type RuntimeArgOptions } from "./dsl/runtime_arg.ts";
export {
  type Applied,
  apply,
  type Code,
  type ConfigureIO,
  dep,
  type DeviceOptions,
  ifImpl,
  Impl,
  impl,
  type ImplSpec,
  type Info,
  type Install,
  main,
  type MainOptions,
  matchImpl,
  noop,
  notice,
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
