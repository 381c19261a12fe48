/**
 * Whether the real OCaml toolchain the build tests and the bench need is here: dune, and the
 * Debian OCaml libraries the test duniverse (tests/fixtures/duniverse) builds against. One
 * check, so the tests and the bench skip (or, on CI, fail) on the same condition.
 * @module
 */

/** Whether `dune` runs and `ocamlfind` finds lwt, cmdliner, logs and fmt. */
export async function ocamlLibrariesReady(): Promise<boolean> {
  try {
    const run = (cmd: string, args: string[]) =>
      new Deno.Command(cmd, { args, stdout: "null", stderr: "null" }).output();
    return (await run("dune", ["--version"])).success &&
      (await run("ocamlfind", ["query", "lwt", "cmdliner", "logs", "fmt"])).success;
  } catch {
    return false;
  }
}
