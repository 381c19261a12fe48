/**
 * `deno task demo`: configures the bundled examples/hello for unix in a scratch copy and
 * prints what unik generated.
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runCli } from "../main.ts";
import { processIO } from "../lib/cli/io.ts";

const example = fileURLToPath(new URL("../examples/hello/", import.meta.url));
const work = await Deno.makeTempDir({ prefix: "unik-demo-" });
for (const name of ["config.ts", "unikernel.ml"]) {
  await Deno.copyFile(join(example, name), join(work, name));
}
const io = { ...processIO(), cwd: work };
console.log(`$ cd ${work} && unik configure -t unix`);
const code = await runCli(["configure", "-t", "unix"], io);
if (code !== 0) Deno.exit(code);

const generated = [
  "mirage/main.ml",
  "mirage/hello-unix.opam",
  "dune.build",
  "dune-project",
  "dune-workspace",
  "dist/dune",
  "Makefile",
];
for (const file of generated) {
  console.log(`\n===== ${file} =====`);
  console.log((await Deno.readTextFile(join(work, file))).trimEnd());
}
console.log(`\n$ unik query packages`);
await runCli(["query", "packages"], io);
console.log(`\n$ unik describe`);
await runCli(["describe"], io);
await Deno.remove(work, { recursive: true });
