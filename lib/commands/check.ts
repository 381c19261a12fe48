/**
 * `unik check` (and `configure --check`): a full TypeScript type-check of config.ts with
 * `deno check`, cached by the config's contents so that an unchanged config is not checked
 * twice. It resolves `unik` as the editor does: through the project's deno.json (the one
 * `unik init` writes), else through the import map unik init would write. Configure does not
 * need it: wrong applications are caught at run time too.
 * @module
 */

import { traced } from "../cli/output.ts";
import { dirname, join } from "node:path";
import { cacheDir, type Env } from "../cache_dir.ts";
import { sha256 } from "../digest.ts";
import { UnikError } from "../errors.ts";
import { editorImports } from "../sources.ts";
import { UNIK_VERSION } from "../version.ts";

/** The deno configuration files Deno (and its language server) look for, in its order. */
const CONFIG_NAMES = ["deno.json", "deno.jsonc"];

/** The deno.json that applies to `file`, as Deno finds it: in its directory or a parent. */
export async function denoConfigOf(file: string): Promise<string | undefined> {
  for (let dir = dirname(file);; dir = dirname(dir)) {
    for (const name of CONFIG_NAMES) {
      const path = join(dir, name);
      try {
        if ((await Deno.stat(path)).isFile) return path;
      } catch { /* not here */ }
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** The deno configuration of a project without one: unik's import map, no lock file. */
export async function editorConfig(env: Env): Promise<string> {
  return JSON.stringify({ imports: await editorImports(env), lock: false }, null, 2) + "\n";
}

/** The deno that type-checks: this one, or for a compiled unik, the `deno` on the PATH. */
function denoCommand(): string {
  return Deno.build.standalone ? "deno" : Deno.execPath();
}

/** Type-checks `configPath`; throws a config error with deno's diagnostics on failure. */
export async function typeCheck(configPath: string, env: Env): Promise<"checked" | "cached"> {
  const source = await Deno.readTextFile(configPath);
  const dir = cacheDir(env, "check");
  const projectConfig = await denoConfigOf(configPath);
  const configText = projectConfig
    ? await Deno.readTextFile(projectConfig)
    : await editorConfig(env);
  const key = await sha256(`${UNIK_VERSION}\0${configPath}\0${configText}\0${source}`);
  const stamp = dir && join(dir, key);
  if (stamp) {
    try {
      await Deno.stat(stamp);
      return "cached";
    } catch { /* not checked yet */ }
  }
  let config = projectConfig;
  if (!config) {
    const scratch = await Deno.makeTempDir({ prefix: "unik-check-" });
    config = join(scratch, "deno.json");
    await Deno.writeTextFile(config, configText);
  }
  let result: Deno.CommandOutput;
  try {
    const args = ["check", "--quiet", "--config", config, configPath];
    result = await traced(
      [denoCommand(), ...args].join(" "),
      () =>
        new Deno.Command(denoCommand(), {
          args,
          env: { NO_COLOR: "1" },
          stdout: "piped",
          stderr: "piped",
        }).output(),
    );
  } catch (e) {
    throw new UnikError("toolchain", `cannot run deno check: ${(e as Error).message}`, {
      hint: "unik check needs deno on the PATH (https://deno.com)",
    });
  } finally {
    if (!projectConfig) await Deno.remove(dirname(config), { recursive: true }).catch(() => {});
  }
  if (!result.success) {
    const text = new TextDecoder().decode(result.stderr) + new TextDecoder().decode(result.stdout);
    const diagnostics = text.split("\n").filter((l) =>
      !/^(error: Type checking failed|Stack backtrace|\s+\d+: )/.test(l)
    )
      .join("\n").trim();
    const m = /at (file:\/\/\S+?):(\d+):(\d+)/.exec(diagnostics);
    throw new UnikError("config", `type error in the configuration:\n${diagnostics}`, {
      pos: m ? { file: m[1], line: Number(m[2]), column: Number(m[3]) } : undefined,
      hint: "fix the type error; `unik check` re-runs the check",
    });
  }
  if (stamp && dir) {
    await Deno.mkdir(dir, { recursive: true }).catch(() => {});
    await Deno.writeTextFile(stamp, "").catch(() => {});
  }
  return "checked";
}
