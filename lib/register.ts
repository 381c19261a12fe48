/**
 * `register`: names the unikernel, lists its jobs and adds the 4.9 start-up jobs (command
 * line, OCaml runtime, delay, reporter, sleep, clocks, random) ahead of them.
 * @module
 */

import { configError, UnikError } from "./errors.ts";
import { checkOpamUrl, checkUnikernelName, requireField } from "./validate/mod.ts";
import { Impl } from "./dsl/impl.ts";
import { callerOf, isUnikSource, LazyPos } from "./dsl/pos.ts";
import { elementPosAt } from "./dsl/call_text.ts";
import { checkArgs, deviceOf, type Expect, optionsOf, STRING } from "./dsl/args.ts";
import { argv, job } from "./dsl/typ.ts";
import type { Argv, Mtime, Ptime, Random, Reporter, Sleep } from "./dsl/types.ts";
import type { SourcePos } from "./errors.ts";
import { defaultArgv } from "../plugins/argv.ts";
import { defaultReporter, noReporter } from "../plugins/reporter.ts";
import { defaultMtime, defaultPtime, defaultSleep } from "../plugins/time.ts";
import { defaultRandom } from "../plugins/random.ts";
import { delayStartup, ocamlRuntime, runtimeArgs } from "../plugins/runtime.ts";

/**
 * Options of {@link register}: replacements for the start-up devices, and the opam `url`. Each
 * start-up device has its own module type, as in mirage 4.9 (all jobs but `argv`).
 */
export interface RegisterOptions {
  /** Boot command line (default {@link defaultArgv}; `noArgv` for none). */
  readonly argv?: Impl<Argv>;
  /** Log reporter (default `defaultReporter()`; `noReporter` adds none). */
  readonly reporter?: Impl<Reporter>;
  /** Sleep (default `defaultSleep`; `noSleep`). */
  readonly sleep?: Impl<Sleep>;
  /** POSIX clock (default `defaultPtime`; `noPtime`, `mockPtime`). */
  readonly ptime?: Impl<Ptime>;
  /** Monotonic clock (default `defaultMtime`; `noMtime`, `mockMtime`). */
  readonly mtime?: Impl<Mtime>;
  /** Random (default `defaultRandom`; `noRandom`). */
  readonly random?: Impl<Random>;
  /** The opam `url` source: `"auto"` (from git), `"none"`, or a URL. Default `"auto"`. */
  readonly src?: string;
}

/** A start-up device of module type `typ`, described by its role and its usual values. */
function startUp(role: string, typ: Expect, usual: string): Expect {
  return { ...typ, what: `${role}, ${typ.what} (${usual})` };
}

const JOBS: Expect = {
  what: "a list of jobs",
  test: (v) => Array.isArray(v),
};

/** register's signature, checked at configure time as `unik check` checks its types. */
const REGISTER_PARAMS = [
  ["name", STRING],
  ["jobs", JOBS],
  [
    "options",
    optionsOf({
      argv: startUp("a boot command line", deviceOf(argv), "defaultArgv or noArgv"),
      reporter: startUp("a log reporter", deviceOf(job), "defaultReporter() or noReporter"),
      sleep: startUp("a sleep", deviceOf(job), "defaultSleep or noSleep"),
      ptime: startUp("a POSIX clock", deviceOf(job), "defaultPtime, noPtime or mockPtime"),
      mtime: startUp("a monotonic clock", deviceOf(job), "defaultMtime, noMtime or mockMtime"),
      random: startUp("a random number generator", deviceOf(job), "defaultRandom or noRandom"),
      src: STRING,
    }),
  ],
] as const;

/** A registered unikernel: what config.ts exports by default. */
export class Registration {
  /** The unikernel's name. */
  readonly name: string;
  /** The user's jobs. */
  readonly jobs: readonly Impl<"job">[];
  /** The start-up jobs, in the order they run. */
  readonly init: readonly Impl<"job">[];
  /** The opam `url` source. */
  readonly src: string;
  readonly #pos: LazyPos;

  /** Use {@link register} instead. */
  constructor(
    name: string,
    jobs: readonly Impl<"job">[],
    init: readonly Impl<"job">[],
    src: string,
  ) {
    this.name = name;
    this.jobs = jobs;
    this.init = init;
    this.src = src;
    this.#pos = new LazyPos(register);
  }

  /** Where `register` was called. */
  get pos(): SourcePos | undefined {
    return this.#pos.value;
  }
}

function hasNoArguments(i: Impl<unknown>): boolean {
  const n = i.node;
  switch (n.kind) {
    case "dev":
      return n.args.length === 0 && n.deps.length === 0 &&
        (n.device.options.runtimeArgs ?? []).length === 0 && n.device.moduleName !== "Unit";
    case "app":
      return false;
    case "if":
      return n.branches.some(([, b]) => hasNoArguments(b)) || hasNoArguments(n.default);
  }
}

/** Where job `index` is written in the user's register call, when its text is known. */
function jobPos(index: number): SourcePos | undefined {
  const site = callerOf(register);
  return site && !isUnikSource(site.file) ? elementPosAt(site, 1, index) : undefined;
}

function checkJob(j: unknown, index: number): Impl<"job"> {
  if (!(j instanceof Impl)) {
    throw configError(`job ${index + 1} given to register is not a device`, {
      hint: "register takes a list of jobs, e.g. [apply(main(...), ...)]",
    });
  }
  if (j.typ.kind !== "leaf" || j.typ.name !== "job") {
    throw configError(
      `job ${
        index + 1
      } given to register is not a job: it still expects arguments or is not of type job`,
      { hint: "apply the functor to all its arguments with apply(f, ...)" },
    );
  }
  if (hasNoArguments(j)) {
    throw configError(
      "your configuration includes a job without arguments: its start function would run at module initialisation",
      {
        hint:
          'use main("Unikernel.Hello", fn(job, job)) and register("hello", [apply(main, noop)]), or main("Unikernel", job), which adds the unit argument',
      },
    );
  }
  return j as Impl<"job">;
}

/** Registers the unikernel `name` with its jobs (OCaml's `register`). */
export function register(
  name: string,
  jobs: readonly Impl<"job">[],
  options: RegisterOptions = {},
): Registration {
  checkArgs(register, [name, jobs, options], REGISTER_PARAMS);
  if (name === "") {
    throw configError("the unikernel name given to register cannot be empty");
  }
  if (checkUnikernelName(name) !== undefined) {
    throw configError(
      `invalid unikernel name ${
        JSON.stringify(name)
      }: use a letter then letters, digits, '-', '_' or '.'`,
    );
  }
  const src = options.src ?? "auto";
  if (src !== "auto" && src !== "none") requireField(`register ${name}: src`, src, checkOpamUrl);
  const checked = jobs.map((j, i) => {
    try {
      return checkJob(j, i);
    } catch (e) {
      throw e instanceof UnikError ? e.at(jobPos(i)) : e;
    }
  });
  const reporter = options.reporter ?? defaultReporter();
  const init = [
    runtimeArgs(options.argv ?? defaultArgv),
    ocamlRuntime,
    delayStartup,
    ...(reporter === noReporter ? [] : [reporter]),
    options.sleep ?? defaultSleep,
    options.ptime ?? defaultPtime,
    options.mtime ?? defaultMtime,
    options.random ?? defaultRandom,
  ];
  return new Registration(name, checked, init, src);
}
