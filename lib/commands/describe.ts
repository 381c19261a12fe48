/**
 * `unik describe`: name and keys (and with `-v` libraries and packages), or the graph in dot
 * form with `--dot`, evaluated fully when the unikernel is configured or `--eval` is given. As
 * mirage's, `--dot` without `-o` writes the graph to a temporary file and opens it with the
 * `--dot-command` (default `xdot`); `-o -` prints it, `-o FILE` writes it.
 * @module
 */

import { resolve } from "node:path";
import { tmpdir } from "node:os";
import { UnikError } from "../errors.ts";
import { shows, traced, VERBOSE } from "../cli/output.ts";
import { describeText } from "../describe.ts";
import type { CliIO } from "../cli/io.ts";
import type { ProjectPaths } from "../cli/project.ts";
import type { ConfigSession } from "../sandbox/mod.ts";
import { type CommonOptions, prepare, readSavedContext, savedValuesNoted } from "./common.ts";
import { showRemembered } from "../toolchain/remembered.ts";
import { applyBuildGate } from "../plugins/gate.ts";
import { noteWithheld } from "./query.ts";

/** Options of describe. */
export interface DescribeOptions extends CommonOptions {
  /** Print the graph in dot form. */
  readonly dot?: boolean;
  /** Where to write the dot graph (`-`: standard output; absent: open it with `dotCommand`). */
  readonly dotOutput?: string;
  /** The program that shows a dot file (a shell command line; default `xdot`). */
  readonly dotCommand?: string;
  /** Force full (true) or partial (false) evaluation; default: full iff configured. */
  readonly eval?: boolean;
}

/** mirage's default `--dot-command`. */
export const DEFAULT_DOT_COMMAND = "xdot";

/** Runs describe. */
export async function runDescribe(
  paths: ProjectPaths,
  session: ConfigSession,
  options: DescribeOptions,
  io: CliIO,
): Promise<void> {
  const saved = await readSavedContext(paths, session);
  const prepared = await prepare(paths, options, saved, false);
  const full = options.eval ?? saved !== undefined;
  const explicitKeys = Object.fromEntries(
    Object.entries(prepared.given).filter(([k]) => prepared.explicit.has(k)),
  );
  const described = await session.describe(explicitKeys, prepared.request, {
    dot: options.dot ?? false,
    eval: full || !options.dot,
  }).catch((e) => {
    throw savedValuesNoted(e, saved, options.keys, paths);
  });
  if (options.dot) {
    const dot = described.dot ?? "";
    if (options.dotOutput === "-") io.out(dot);
    else if (options.dotOutput) await writeDot(paths.root, options.dotOutput, dot);
    else await showDot(dot, options.dotCommand ?? DEFAULT_DOT_COMMAND, io);
    return;
  }
  // What the build uses: without what waits for a third-party plugin's approval.
  const { configured, withheld } = await applyBuildGate(
    described.configured!,
    prepared.request,
    options,
  );
  if (withheld.length > 0 && shows(io, VERBOSE)) await noteWithheld(withheld, io);
  io.out(describeText({
    name: session.loaded.name,
    output: prepared.request.output,
    keys: session.loaded.keys.map((k) => ({
      name: k.name,
      value: k.name in prepared.given ? prepared.given[k.name] : k.default,
      set: prepared.explicit.has(k.name),
    })),
    verbose: shows(io, VERBOSE)
      ? { libraries: configured.libraries, packages: configured.packages }
      : undefined,
  }));
  const remembered = showRemembered(saved?.build);
  if (remembered.length) io.out(`${"Build".padEnd(11)}${remembered.join(" ")} (remembered)\n`);
}

/** Writes the dot graph to the file the user named; a failure is a files error (exit 7). */
async function writeDot(root: string, file: string, dot: string): Promise<void> {
  try {
    await Deno.writeTextFile(resolve(root, file), dot);
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound
      ? "its directory does not exist"
      : e instanceof Deno.errors.IsADirectory
      ? "it is a directory"
      : (e as Error).message;
    throw new UnikError("io", `cannot write the dot graph to ${file}: ${why}`, {
      hint: "name a file in an existing, writable directory (or -o - for standard output)",
    });
  }
}

/**
 * Writes the graph to a new temporary file and runs `command` on it, as mirage does. The
 * command is the user's own text from the command line, run by `sh` as a shell command line;
 * the file's path reaches it only as an argument (`"$@"`), never inside the shell text.
 */
async function showDot(dot: string, command: string, io: CliIO): Promise<void> {
  const file = await Deno.makeTempFile({
    dir: io.env.TMPDIR || tmpdir(),
    prefix: "graph",
    suffix: ".dot",
  });
  try {
    await Deno.writeTextFile(file, dot);
    const { code } = await traced(
      `${command} ${file}`,
      () =>
        new Deno.Command("sh", {
          args: ["-c", `${command} "$@"`, "unik-dot-command", file],
          cwd: io.cwd,
          stdin: "null",
          stdout: "inherit",
          stderr: "inherit",
        }).spawn().status,
    );
    if (code !== 0) {
      throw new UnikError(
        "toolchain",
        `the dot command '${command}' failed on the graph (exit code ${code}${
          code === 127 ? ": not found" : ""
        })`,
        {
          hint: `install ${DEFAULT_DOT_COMMAND} (apt-get install xdot), name another viewer with ` +
            "--dot-command=COMMAND, or print the graph with -o - (or write it with -o FILE)",
        },
      );
    }
  } finally {
    await Deno.remove(file).catch(() => {});
  }
}
