/**
 * `unik check` (and `configure --check`): a full TypeScript type-check of config.ts with
 * `deno check`, cached by the config's contents so that an unchanged config is not checked
 * twice. Configure does not need it: wrong applications are caught at run time too.
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sha256 } from "../digest.ts";
import { cacheDir } from "../cache_dir.ts";
import { UnikError } from "../errors.ts";
import { UNIK_VERSION } from "../version.ts";

const UNIK_CONFIG = fileURLToPath(new URL("../../deno.json", import.meta.url));

/** Type-checks `configPath`; throws a config error with deno's diagnostics on failure. */
export async function typeCheck(
  configPath: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<"checked" | "cached"> {
  const source = await Deno.readTextFile(configPath);
  const dir = cacheDir(env, "check");
  const stamp = dir && join(dir, await sha256(`${UNIK_VERSION}\0${configPath}\0${source}`));
  if (stamp) {
    try {
      await Deno.stat(stamp);
      return "cached";
    } catch { /* not checked yet */ }
  }
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["check", "--quiet", "--config", UNIK_CONFIG, configPath],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
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
