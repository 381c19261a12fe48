/**
 * Which loaded plugin each module URL belongs to, so that an error raised in plugin code is
 * reported against the plugin. Kept apart from the loader so that a config without plugins
 * does not load zod.
 * @module
 */

import type { Meta } from "../plugins/schema.ts";

/** A plugin loaded in the sandbox. */
export interface LoadedPlugin {
  /** Its entry URL. */
  readonly entry: string;
  /** Its validated manifest. */
  readonly meta: Meta;
}

/** Plugin modules by URL: who they belong to (for attributing errors). */
export const owners = new Map<string, LoadedPlugin | { entry: string; meta?: undefined }>();

/** The plugin a module URL belongs to, if any. */
export function pluginOfModule(url: string): { entry: string; meta?: Meta } | undefined {
  return owners.get(url);
}

/** How a plugin is named in messages. */
export function pluginLabel(p: { entry: string; meta?: Meta }): string {
  return p.meta ? `plugin ${p.meta.name} ${p.meta.version} (${p.entry})` : `plugin ${p.entry}`;
}
