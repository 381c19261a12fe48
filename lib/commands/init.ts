/**
 * `unik init [DIR]`: a new unikernel project, the "hello" of mirage-skeleton: a config.ts with
 * the standard devices, the unikernel.ml it configures, a .gitignore for what configure and
 * build write, and a deno.json whose import map gives the editor and `deno check` unik's typed
 * sources. It never replaces a file: when one exists, it writes nothing.
 * @module
 */

import { notice } from "../cli/output.ts";
import { join, relative, resolve } from "node:path";
import type { CliIO } from "../cli/io.ts";
import { UnikError } from "../errors.ts";
import { editorConfig } from "./check.ts";

const CONFIG_TS = `// A first unikernel: it logs a greeting four times, a fifth of a second apart.
//   unik configure -t unix   generates the OCaml glue (main.ml, dune files, opam file)
//   unik build               fetches the dependencies and compiles dist/hello
//   unik run -- --hello=Hi   starts it with a boot argument
import { job, main, pkg, register, runtimeArg } from "unik";
import { defaultReporter } from "unik/plugins/reporter";

// The --hello boot argument, defined in unikernel.ml.
const hello = runtimeArg<string>("Unikernel.hello");

const unikernel = main("Unikernel", job, {
  packages: [pkg("duration")],
  runtimeArgs: [hello],
});

// Devices come from unik/plugins/<family> (kv, block, network, stack, http, ...); the log
// reporter here is the default one, at level info (-l/--logs at boot changes it).
export default register("hello", [unikernel], { reporter: defaultReporter({ level: "info" }) });
`;

const UNIKERNEL_ML = `(* Logs a greeting four times, a fifth of a second apart. The greeting is the
   [--hello] boot argument, registered by the generated main.ml. *)

open Lwt.Infix

let hello =
  let doc = Cmdliner.Arg.info ~doc:"How to say hello." [ "hello" ] in
  Cmdliner.Arg.(value & opt string "Hello World!" doc)

let start () hello =
  let rec loop = function
    | 0 -> Lwt.return_unit
    | n ->
        Logs.info (fun f -> f "%s" hello);
        Mirage_sleep.ns (Duration.of_ms 200) >>= fun () -> loop (n - 1)
  in
  loop 4
`;

const GITIGNORE = `# Written by unik configure (removed by unik clean)
/Makefile
/dune
/dune-project
/dune-workspace
/dune.build
/dune.config
/mirage/
/dist/
# Written by unik build
/_build/
/duniverse
# unik's lock and journal while it runs, and the files it stages
/.unik-lock
/.unik-journal
.*.unik-*.tmp
.*.unik-*.bak
*.tmp-[0-9]*
`;

/** The files of a new project, by name; `denoJson` is the editor configuration. */
export function initFiles(denoJson: string): Record<string, string> {
  return {
    "config.ts": CONFIG_TS,
    "unikernel.ml": UNIKERNEL_ML,
    ".gitignore": GITIGNORE,
    "deno.json": denoJson,
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** Creates a project in `dir` (relative to the working directory, default `.`). */
export async function runInit(dir: string | undefined, io: CliIO): Promise<void> {
  const target = resolve(io.cwd, dir ?? ".");
  const shown = relative(io.cwd, target) || ".";
  const files = initFiles(await editorConfig(io.env));
  try {
    await Deno.mkdir(target, { recursive: true });
  } catch (e) {
    throw new UnikError("io", `cannot create ${shown}: ${(e as Error).message}`);
  }
  const written: string[] = [];
  try {
    for (const [name, contents] of Object.entries(files)) {
      // createNew: an existing file is never replaced, even one that appears meanwhile.
      await Deno.writeTextFile(join(target, name), contents, { createNew: true });
      written.push(name);
    }
  } catch (e) {
    for (const name of written) await Deno.remove(join(target, name)).catch(() => {});
    if (e instanceof Deno.errors.AlreadyExists) {
      const present: string[] = [];
      for (const name of Object.keys(files)) {
        if (await exists(join(target, name))) present.push(name);
      }
      throw new UnikError("io", `${shown} already has ${present.join(", ")}: nothing was written`, {
        hint: "unik init never replaces a file: choose an empty or new directory",
      });
    }
    throw new UnikError("io", `cannot write the project in ${shown}: ${(e as Error).message}`, {
      hint: "nothing was left behind; check the directory's permissions and try again",
    });
  }
  const cd = shown === "." ? "" : `cd ${shown} && `;
  notice(
    io,
    `Created a unikernel project in ${shown}: ${Object.keys(files).join(", ")}.\n` +
      `Next: ${cd}unik configure -t unix && unik build && unik run\n`,
    "out",
  );
}
