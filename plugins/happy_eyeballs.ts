/**
 * Happy eyeballs (`Happy_eyeballs_mirage.S`): connection establishment racing IPv4 and IPv6.
 * @module
 */

import { apply, fn, happyEyeballs, type Impl, impl, pkg, stackv4v6 } from "../lib/mod.ts";
import { happyEyeballsArg } from "./network_args.ts";
import { checkArgs, deviceOf, NANOSECONDS, NUMBER, optionsOf, STRING } from "../lib/dsl/args.ts";

/** Options of {@link genericHappyEyeballs}: defaults of the `--he_*` boot flags (ns). */
export interface HappyEyeballsOptions {
  /** Prefix of the boot flags. */
  readonly group?: string;
  /** AAAA timeout. */
  readonly aaaaTimeout?: number | bigint;
  /** Delay between connection attempts. */
  readonly connectDelay?: number | bigint;
  /** Connection timeout. */
  readonly connectTimeout?: number | bigint;
  /** Resolution timeout. */
  readonly resolveTimeout?: number | bigint;
  /** Resolution attempts. */
  readonly resolveRetries?: number;
  /** Timer interval. */
  readonly timerInterval?: number | bigint;
}

/** Happy eyeballs over `stack`. */
export function genericHappyEyeballs(
  stack: Impl<"stackv4v6">,
  options: HappyEyeballsOptions = {},
): Impl<"happy_eyeballs"> {
  checkArgs(genericHappyEyeballs, [stack, options], [["stack", deviceOf(stackv4v6)], [
    "options",
    optionsOf({
      group: STRING,
      aaaaTimeout: NANOSECONDS,
      connectDelay: NANOSECONDS,
      connectTimeout: NANOSECONDS,
      resolveTimeout: NANOSECONDS,
      resolveRetries: NUMBER,
      timerInterval: NANOSECONDS,
    }),
  ]]);
  const g = options.group;
  const functor = impl("Happy_eyeballs_mirage.Make", fn(stackv4v6, happyEyeballs), {
    packages: [pkg("happy-eyeballs-mirage", { min: "2.0.0", max: "3.0.0" })],
    runtimeArgs: [
      happyEyeballsArg("he_aaaa_timeout", options.aaaaTimeout, g),
      happyEyeballsArg("he_connect_delay", options.connectDelay, g),
      happyEyeballsArg("he_connect_timeout", options.connectTimeout, g),
      happyEyeballsArg("he_resolve_timeout", options.resolveTimeout, g),
      happyEyeballsArg("he_resolve_retries", options.resolveRetries, g),
      happyEyeballsArg("he_timer_interval", options.timerInterval, g),
    ],
    connect: (_i, m, [s, aaaa, delay, timeout, resolve, retries, timer]) =>
      `${m}.connect_device ?aaaa_timeout:${aaaa} ?connect_delay:${delay}\n` +
      `  ?connect_timeout:${timeout} ?resolve_timeout:${resolve} ?resolve_retries:${retries}\n` +
      `  ?timer_interval:${timer} ${s}`,
  });
  return apply(functor, stack);
}
