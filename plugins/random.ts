/**
 * The random number generator: mirage-crypto-rng-mirage seeds Fortuna at boot.
 * @module
 */

import { type Impl, impl, job, pkg } from "../lib/mod.ts";

/** Initialises the RNG (getrandom/getentropy on Unix, Fortuna elsewhere). */
export const defaultRandom: Impl<"job"> = impl("Mirage_crypto_rng_mirage", job, {
  packages: [pkg("mirage-crypto-rng-mirage", { min: "2.0.0", max: "3.0.0" })],
  connect: (_i, m) => `${m}.initialize (module Mirage_crypto_rng.Fortuna)`,
});

/** No RNG initialisation. */
export const noRandom: Impl<"job"> = impl("Mirage_runtime", job);
