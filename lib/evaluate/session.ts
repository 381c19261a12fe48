/**
 * The parent side of config evaluation: starts the sandboxed worker, loads config.ts in it and
 * asks it to configure. The worker may read only the project and unik's own sources; it may not
 * write, run programs, read the environment, use the network or import anything by URL: plugins
 * reach it as text unik has verified (see lib/plugins/).
 * @module
 */

import { fileURLToPath, pathToFileURL } from "node:url";
import { errorFromData, UnikError } from "../errors.ts";
import type { Configured, ConfigureRequest } from "../configure.ts";
import type { KeyValue } from "../dsl/key.ts";
import type { Described, Loaded, PluginBundle, Reply, Request } from "./protocol.ts";

const UNIK_ROOT = new URL("../../", import.meta.url);

/** How long a config may take to evaluate before it is stopped (ms), by default. */
export const EVAL_TIMEOUT_MS = 30_000;

/** A loaded configuration, ready to configure. */
export class ConfigSession {
  readonly #worker: Worker;
  readonly #configUrl: string;
  readonly #timeoutMs: number;
  #loaded!: Loaded;

  private constructor(worker: Worker, configUrl: string, timeoutMs: number) {
    this.#worker = worker;
    this.#configUrl = configUrl;
    this.#timeoutMs = timeoutMs;
  }

  /**
   * Evaluates the config file at `configPath` (absolute) for the project at `projectRoot`,
   * with the verified plugins it imports by URL.
   */
  static async open(
    configPath: string,
    projectRoot: string,
    plugins: readonly PluginBundle[] = [],
    timeoutMs: number = EVAL_TIMEOUT_MS,
  ): Promise<ConfigSession> {
    const read = [projectRoot];
    if (UNIK_ROOT.protocol === "file:") read.push(fileURLToPath(UNIK_ROOT));
    const worker = new Worker(new URL("./worker.ts", import.meta.url), {
      type: "module",
      deno: {
        permissions: {
          read,
          write: false,
          run: false,
          env: false,
          net: false,
          ffi: false,
          sys: false,
          import: false,
        },
      },
    });
    const configUrl = pathToFileURL(configPath).href;
    const session = new ConfigSession(worker, configUrl, timeoutMs);
    try {
      session.#loaded = await session.#ask({
        type: "load",
        configUrl,
        projectRootUrl: pathToFileURL(`${projectRoot}/`).href,
        plugins,
      }) as Loaded;
    } catch (e) {
      session.close();
      throw e;
    }
    return session;
  }

  /** What the config declares. */
  get loaded(): Loaded {
    return this.#loaded;
  }

  /** The config's URL. */
  get configUrl(): string {
    return this.#configUrl;
  }

  /** Generates the files of a configuration, in memory. */
  async configure(request: ConfigureRequest): Promise<Configured> {
    return await this.#ask({ type: "configure", request }) as Configured;
  }

  /** Describes the configuration. */
  async describe(
    keys: Record<string, KeyValue>,
    request: ConfigureRequest,
    options: { dot: boolean; eval: boolean },
  ): Promise<Described> {
    return await this.#ask({ type: "describe", keys, request, ...options }) as Described;
  }

  /** Stops the worker. */
  close(): void {
    this.#worker.terminate();
  }

  #ask(request: Request): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.close();
        reject(
          new UnikError(
            "config",
            `evaluating the configuration took more than ${this.#timeoutMs} ms`,
            {
              hint:
                "look for an endless loop in config.ts or its plugins (UNIK_EVAL_TIMEOUT_MS sets the limit)",
            },
          ),
        );
      }, this.#timeoutMs);
      this.#worker.onmessage = (e: MessageEvent<Reply>) => {
        clearTimeout(timer);
        if (e.data.ok) resolve(e.data.value);
        else reject(errorFromData(e.data.error));
      };
      this.#worker.onerror = (e: ErrorEvent) => {
        e.preventDefault();
        clearTimeout(timer);
        reject(new UnikError("config", e.message));
      };
      this.#worker.postMessage(request);
    });
  }
}
