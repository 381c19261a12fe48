/**
 * `deno task demo`: copies examples/hello to a scratch directory, shows what unik generates
 * for it, then builds and runs it with `unik run --target unix`. There is no opam repository
 * here, so the build uses the test duniverse: small stand-ins for the MirageOS runtime
 * libraries, compiled with Debian's OCaml and dune.
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runCli } from "../main.ts";
import { processIO } from "../lib/cli/io.ts";

const repo = fileURLToPath(new URL("../", import.meta.url));
const work = await Deno.makeTempDir({ prefix: "unik-demo-" });
for (const name of ["config.ts", "unikernel.ml"]) {
  await Deno.copyFile(join(repo, "examples/hello", name), join(work, name));
}
const io = { ...processIO(), cwd: work };
const step = async (args: string[]) => {
  console.log(`\n$ unik ${args.join(" ")}`);
  const code = await runCli(args, io);
  if (code !== 0) {
    await Deno.remove(work, { recursive: true });
    Deno.exit(code);
  }
};

console.log(`examples/hello, in ${work}:`);
console.log((await Deno.readTextFile(join(work, "config.ts"))).trimEnd());
await step(["configure", "-t", "unix"]);
for (const file of ["mirage/main.ml", "mirage/hello-unix.opam", "dune.build"]) {
  console.log(`\n----- ${file} -----`);
  console.log((await Deno.readTextFile(join(work, file))).trimEnd());
}
await step(["describe"]);
const duniverse = join(repo, "tests/fixtures/duniverse");
await step([
  "run",
  "--target",
  "unix",
  "--offline",
  "--duniverse",
  duniverse,
  "--",
  "--hello=Hello from unik!",
]);
await Deno.remove(work, { recursive: true });
