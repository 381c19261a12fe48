/**
 * A plugin host and registry served on 127.0.0.1 by the test itself: files from
 * tests/fixtures/plugins (with `__ORIGIN__` replaced by the server's origin), files a test adds
 * or tampers with, and a log of every path requested.
 * @module
 */

import { join } from "node:path";
import { REPO } from "./helpers.ts";

const FIXTURES = join(REPO, "tests/fixtures/plugins");

/** A running plugin host. */
export interface PluginHost {
  /** `http://127.0.0.1:PORT`. */
  readonly origin: string;
  /** Serves `text` at `path` instead of the fixture (or in addition to the fixtures). */
  set(path: string, text: string): void;
  /** Every path requested so far. */
  readonly requests: string[];
  /** Stops serving. */
  stop(): Promise<void>;
}

/** Starts a plugin host on a free port. */
export function startPluginHost(): Promise<PluginHost> {
  const overrides = new Map<string, string>();
  const requests: string[] = [];
  let origin = "";
  return new Promise((resolve) => {
    const server = Deno.serve({
      hostname: "127.0.0.1",
      port: 0,
      onListen: ({ port }) => {
        origin = `http://127.0.0.1:${port}`;
        resolve({
          origin,
          set: (path, text) => overrides.set(path, text),
          requests,
          stop: async () => await server.shutdown(),
        });
      },
    }, async (request) => {
      const path = new URL(request.url).pathname;
      requests.push(path);
      const override = overrides.get(path);
      if (override !== undefined) return new Response(override);
      try {
        const text = await Deno.readTextFile(join(FIXTURES, path));
        return new Response(text.replaceAll("__ORIGIN__", origin));
      } catch {
        return new Response("not found", { status: 404 });
      }
    });
  });
}
