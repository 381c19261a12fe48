// device-usage/kv_ro: reads a secret from directory t/, crunched into the unikernel or read
// from the host (--kv_ro=direct).
import { apply, fn, job, kvRo, main, register } from "unik";
import { genericKvRo } from "unik/plugins/kv.ts";

const app = main("Unikernel.Main", fn(kvRo, job));

export default register("kv_ro", [apply(app, genericKvRo("t"))]);
