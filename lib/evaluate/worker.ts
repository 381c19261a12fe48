/**
 * The sandboxed side of config evaluation: imports config.ts (with the permissions the parent
 * gave this worker: read the project and unik, nothing else), then configures in memory.
 * @module
 */

import { configError, errorToData, type SourcePos, UnikError } from "../errors.ts";
import { notices } from "../dsl/impl.ts";
import { Registration } from "../register.ts";
import { projectRoot } from "../project.ts";
import { collectKeys } from "../graph/collect.ts";
import { configure, requestContext } from "../configure.ts";
import { describeDot } from "../describe.ts";
import { frameIn, userFrameOf } from "../dsl/pos.ts";
import type { Impl } from "../dsl/impl.ts";
import type { Reply, Request } from "./protocol.ts";

interface Scope {
  onmessage: ((e: MessageEvent<Request>) => void) | null;
  postMessage(message: Reply): void;
}
const scope = globalThis as unknown as Scope;

let loaded: { registration: Registration; root: Impl<"job">; configUrl: string } | undefined;

function positionOf(error: unknown, configUrl: string): SourcePos | undefined {
  const inConfig = frameIn(error, configUrl);
  if (inConfig) return inConfig;
  const message = error instanceof Error ? error.message : "";
  const at = message.indexOf(configUrl);
  if (at >= 0) {
    const m = /^:(\d+):(\d+)/.exec(message.slice(at + configUrl.length));
    if (m) return { file: configUrl, line: Number(m[1]), column: Number(m[2]) };
  }
  return userFrameOf(error);
}

function toUnikError(error: unknown, configUrl: string): UnikError {
  const pos = positionOf(error, configUrl);
  if (error instanceof UnikError) return error.at(pos);
  const name = error instanceof Error ? error.name : "Error";
  const message = error instanceof Error ? error.message : String(error);
  if (name === "NotCapable" || name === "PermissionDenied") {
    return new UnikError("config", `not allowed while evaluating the configuration: ${message}`, {
      pos,
      hint: "config.ts and its plugins may not write files, run programs, read the environment " +
        "or read outside the project",
    });
  }
  if (name === "SyntaxError" || name === "TypeError" && /Module not found|import/i.test(message)) {
    return new UnikError("config", message.split("\n")[0], { pos });
  }
  return new UnikError("config", `${name}: ${message.split("\n")[0]}`, { pos });
}

async function load(configUrl: string): Promise<unknown> {
  notices.length = 0;
  const mod = await import(configUrl);
  const registration = mod.default;
  if (!(registration instanceof Registration)) {
    throw configError("the configuration registers nothing", {
      hint: 'end config.ts with: export default register("name", [jobs])',
    });
  }
  const root = projectRoot(registration);
  loaded = { registration, root, configUrl };
  const keys = collectKeys(root).map((k) => k.desc);
  return { name: registration.name, keys, notices: [...notices] };
}

function handle(request: Request): Promise<unknown> | unknown {
  if (request.type === "load") return load(request.configUrl);
  if (!loaded) throw new UnikError("internal", "no configuration loaded");
  if (request.type === "configure") {
    return configure(loaded.registration, loaded.root, request.request);
  }
  const ctx = requestContext(request.keys);
  return {
    configured: request.eval
      ? configure(loaded.registration, loaded.root, request.request)
      : undefined,
    dot: request.dot ? describeDot(loaded.root, ctx, request.eval) : undefined,
  };
}

scope.onmessage = async (e: MessageEvent<Request>) => {
  const configUrl = e.data.type === "load" ? e.data.configUrl : loaded?.configUrl ?? "";
  try {
    scope.postMessage({ ok: true, value: await handle(e.data) });
  } catch (error) {
    scope.postMessage({ ok: false, error: errorToData(toUnikError(error, configUrl)) });
  }
};
