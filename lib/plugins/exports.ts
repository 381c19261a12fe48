/**
 * The guarded exports of loaded plugins. config.ts imports a plugin through a small facade
 * module that re-exports what this registry holds: the plugin's exports wrapped so that every
 * device they return is validated before config.ts sees it.
 * @module
 */

const registry = new Map<string, Readonly<Record<string, unknown>>>();

/** Records the guarded exports of the plugin whose entry is `entry`. */
export function setPluginExports(entry: string, exports: Readonly<Record<string, unknown>>): void {
  registry.set(entry, exports);
}

/** The guarded exports of a loaded plugin (read by its facade module). */
export function pluginExports(entry: string): Readonly<Record<string, unknown>> {
  const found = registry.get(entry);
  if (!found) throw new Error(`plugin ${entry} is not loaded`);
  return found;
}
