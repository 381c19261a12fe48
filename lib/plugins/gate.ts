/**
 * The build approval of the third-party plugins a command loaded, applied to what it
 * configured: the files and facts the build would actually use (see build_gate.ts), for
 * configure to write and for query and describe to show. The gate's modules are loaded only
 * when a third-party plugin is.
 * @module
 */

import type { Configured, ConfigureRequest } from "../configure.ts";
import type { Withheld } from "./approval.ts";
import type { Lock } from "./lock.ts";
import type { ResolvedPlugin } from "./resolve.ts";

/** What a command knows of the plugins it loaded, and what `--allow-build` approves. */
export interface GateOptions {
  /** The project's plugin lock and the plugins config.ts imports by URL. */
  readonly pluginLock?: {
    readonly lock: Lock;
    readonly plugins?: readonly ResolvedPlugin[];
  };
  /** `--allow-build`: plugins approved for this run. */
  readonly allowBuild?: readonly string[];
}

/** `configured` as the build would use it, and what is withheld from it. */
export async function applyBuildGate(
  configured: Configured,
  request: ConfigureRequest,
  options: GateOptions,
): Promise<{ configured: Configured; withheld: readonly Withheld[] }> {
  const loaded = options.pluginLock?.plugins ?? [];
  if (loaded.length === 0) return { configured, withheld: [] };
  const { buildGate, gateConfigured } = await import("./build_gate.ts");
  const gate = buildGate(loaded, options.pluginLock!.lock, options.allowBuild);
  return gateConfigured(configured, request, gate);
}
