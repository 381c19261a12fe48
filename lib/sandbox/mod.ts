/**
 * The trust boundary of unik. config.ts and every plugin are untrusted code: they run only in
 * the sandbox, a separate process (host.ts, started as process.ts says: reads of the project
 * and unik's sources only, no network, npm or remote module, a heap limit, a time limit) with
 * a permission-less Worker inside (worker.ts).
 *
 * What crosses, in both directions, is plain data checked with protocol.ts's schemas:
 * - to the sandbox: the config's URL, the plugins' module texts unik verified, the key values
 *   and the configure request;
 * - from the sandbox: the register name and keys, the evaluation (main.ml's text, the hooks'
 *   files, dune stanzas, installs, packages, libraries, resources, each with the device that
 *   contributed it), the dot graph, errors, and which plugin's code runs (to name the culprit
 *   when the sandbox dies or is stopped).
 *
 * unik generates every file from that data itself (lib/configure.ts) and writes only the
 * generated set (generated_set.ts). What config.ts and plugins print reaches the terminal
 * without control characters (sanitize.ts), and never counts as a message.
 * @module
 */

export { ConfigSession, EVAL_TIMEOUT_MS, type OpenOptions, type SandboxOutput } from "./session.ts";
export { EVAL_HEAP_MB, SANDBOX_COMMAND } from "./process.ts";
export { localModuleGraph } from "./module_graph.ts";
export { stripControl } from "./sanitize.ts";
export type { Loaded, PluginBundle } from "./protocol.ts";
