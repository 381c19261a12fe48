// applications/docteur: a read-only store in a docteur image built from a git repository at
// build time; prints --filename from it.
import { apply, fn, job, kvRo, main, register, runtimeArg } from "unik";
import { docteur } from "unik/plugins/kv.ts";

const app = main("Unikernel.Make", fn(kvRo, job), {
  runtimeArgs: [runtimeArg<string>("Unikernel.filename")],
});

export default register("docteur_kv_ro", [
  apply(app, docteur("https://github.com/mirage/mirage", { branch: "refs/heads/main" })),
]);
