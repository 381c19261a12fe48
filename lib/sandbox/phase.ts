/**
 * Whose code the sandbox runs now, told to unik as it changes: a plugin's entry URL while a
 * plugin's module loads or one of its functions runs, null for config.ts and unik's engine. When
 * the sandbox dies or is stopped (out of memory, endless loop), unik blames the last one told,
 * so that the error names the plugin (exit 4) or config.ts (exit 3). The message is posted
 * before the code runs: it reaches unik even if that code never returns.
 * @module
 */

let current: string | null = null;

const post = (globalThis as unknown as { postMessage(m: unknown): void }).postMessage.bind(
  globalThis,
);

/** Tells unik that `plugin`'s code (or, for null, the config's) runs from now on. */
export function enterPhase(plugin: string | null): void {
  if (plugin === current) return;
  current = plugin;
  post({ type: "phase", plugin });
}

/** Runs `body` as plugin `plugin`'s code, then tells unik whose code runs again. */
export function asPlugin<T>(plugin: string, body: () => T): T {
  const before = current;
  enterPhase(plugin);
  try {
    return body();
  } finally {
    enterPhase(before);
  }
}
