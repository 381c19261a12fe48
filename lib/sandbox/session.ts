/**
 * The parent side of config evaluation: starts the sandboxed worker, loads config.ts in it and
 * asks it to configure. The worker may read only config.ts's local modules (or, when the config
 * reads other files, the project) and unik's own sources; it may not write, run programs, read
 * the environment, use the network or import anything by URL: plugins reach it as text unik has
 * verified (see lib/plugins/).
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

/** The config read (or was refused) a file beyond its modules: to be evaluated again. */
class ReadDenied extends UnikError {}

/** How to evaluate a config. */
export interface OpenOptions {
  /** The verified plugins config.ts imports by URL. */
  readonly plugins?: readonly PluginBundle[];
  /** How long evaluation may take (ms). */
  readonly timeoutMs?: number;
  /**
   * The only files the config may read (its local modules). When it reads another one, it is
   * evaluated again with the whole project readable, and the session is not `hermetic`.
   */
  readonly modules?: readonly string[];
}

/** A loaded configuration, ready to configure. */
export class ConfigSession {
  readonly #configUrl: string;
  readonly #projectRoot: string;
  readonly #options: OpenOptions;
  #worker!: Worker;
  #modulesOnly: boolean;
  #loaded!: Loaded;
  #nondeterministic = false;

  private constructor(configPath: string, projectRoot: string, options: OpenOptions) {
    this.#configUrl = pathToFileURL(configPath).href;
    this.#projectRoot = projectRoot;
    this.#options = options;
    this.#modulesOnly = options.modules !== undefined;
  }

  /** Evaluates the config file at `configPath` (absolute) for the project at `projectRoot`. */
  static async open(
    configPath: string,
    projectRoot: string,
    options: OpenOptions = {},
  ): Promise<ConfigSession> {
    const session = new ConfigSession(configPath, projectRoot, options);
    await session.#widenOnDenial(() => session.#start());
    return session;
  }

  /** Starts a worker with the current read scope and loads the config in it. */
  async #start(): Promise<void> {
    const read = this.#modulesOnly ? [...this.#options.modules!] : [this.#projectRoot];
    if (UNIK_ROOT.protocol === "file:") read.push(fileURLToPath(UNIK_ROOT));
    this.#worker = new Worker(new URL("./worker.ts", import.meta.url), {
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
    try {
      this.#loaded = await this.#ask({
        type: "load",
        configUrl: this.#configUrl,
        projectRootUrl: pathToFileURL(`${this.#projectRoot}/`).href,
        plugins: this.#options.plugins ?? [],
      }) as Loaded;
    } catch (e) {
      this.close();
      throw e;
    }
  }

  /**
   * Runs `step`; when the config read a file beyond its modules, starts over with the project
   * readable (a refusal there is final).
   */
  async #widenOnDenial<T>(step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (e) {
      if (!(e instanceof ReadDenied) || !this.#modulesOnly) throw e;
    }
    this.close();
    this.#modulesOnly = false;
    this.#nondeterministic = false;
    await this.#start();
    return await step();
  }

  /** What the config declares. */
  get loaded(): Loaded {
    return this.#loaded;
  }

  /**
   * Whether what this session computed depends only on the config's local modules and the
   * requests it was sent: it read no other file and used no clock or random numbers.
   */
  get hermetic(): boolean {
    return this.#modulesOnly && !this.#nondeterministic;
  }

  /** The config's URL. */
  get configUrl(): string {
    return this.#configUrl;
  }

  /** Generates the files of a configuration, in memory. */
  async configure(request: ConfigureRequest): Promise<Configured> {
    return await this.#widenOnDenial(() => this.#ask({ type: "configure", request })) as Configured;
  }

  /** Describes the configuration. */
  async describe(
    keys: Record<string, KeyValue>,
    request: ConfigureRequest,
    options: { dot: boolean; eval: boolean },
  ): Promise<Described> {
    return await this.#widenOnDenial(() =>
      this.#ask({ type: "describe", keys, request, ...options })
    ) as Described;
  }

  /** Stops the worker. */
  close(): void {
    this.#worker?.terminate();
  }

  #ask(request: Request): Promise<unknown> {
    const timeoutMs = this.#options.timeoutMs ?? EVAL_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.close();
        reject(
          new UnikError(
            "config",
            `evaluating the configuration took more than ${timeoutMs} ms`,
            {
              hint:
                "look for an endless loop in config.ts or its plugins (UNIK_EVAL_TIMEOUT_MS sets the limit)",
            },
          ),
        );
      }, timeoutMs);
      this.#worker.onmessage = (e: MessageEvent<Reply>) => {
        clearTimeout(timer);
        if (e.data.nondeterministic) this.#nondeterministic = true;
        if (e.data.readFiles && this.#modulesOnly) {
          // Refused, or refused and caught so that it went on differently: evaluate it again.
          reject(new ReadDenied("config", "the configuration reads files"));
        } else if (e.data.ok) resolve(e.data.value);
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
