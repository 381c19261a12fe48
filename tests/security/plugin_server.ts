/**
 * A hostile plugin host on 127.0.0.1, started by a test: each path answers as the test says
 * (a module, a redirect, an endless body), and every request is recorded.
 * @module
 */

/** A running host. */
export interface PluginServer {
  /** `http://127.0.0.1:PORT`. */
  readonly origin: string;
  /** Every path requested so far. */
  readonly requests: string[];
  /** Answers `path` with `handler`. */
  route(path: string, handler: (request: Request) => Response): void;
  /** Serves `text` at `path`. */
  serve(path: string, text: string): void;
  /** Stops serving. */
  stop(): Promise<void>;
  /** Stops serving (for `await using`). */
  [Symbol.asyncDispose](): Promise<void>;
}

/** Starts a host on a free port. */
export function startServer(): Promise<PluginServer> {
  const routes = new Map<string, (request: Request) => Response>();
  const requests: string[] = [];
  let stopped = false;
  return new Promise((resolve) => {
    const server = Deno.serve({
      hostname: "127.0.0.1",
      port: 0,
      onListen: ({ port }) => {
        const stop = async () => {
          if (stopped) return;
          stopped = true;
          await server.shutdown();
        };
        resolve({
          origin: `http://127.0.0.1:${port}`,
          requests,
          route: (path, handler) => routes.set(path, handler),
          serve: (path, text) => routes.set(path, () => new Response(text)),
          stop,
          [Symbol.asyncDispose]: stop,
        });
      },
    }, (request) => {
      const path = new URL(request.url).pathname;
      requests.push(path);
      const handler = routes.get(path);
      return handler ? handler(request) : new Response("not found", { status: 404 });
    });
  });
}

/** What an endless body has sent, and whether the client hung up. */
export interface EndlessBody {
  /** Bytes handed to the connection so far. */
  sent: number;
  /** Whether the client cancelled the body (closed the connection). */
  cancelled: boolean;
  /** A response streaming `//` lines forever. */
  response(): Response;
}

/** A body that never ends, produced only as fast as the client reads it. */
export function endlessBody(): EndlessBody {
  const chunk = new TextEncoder().encode(("/".repeat(1023) + "\n").repeat(64));
  const body: EndlessBody = {
    sent: 0,
    cancelled: false,
    response: () =>
      new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            body.sent += chunk.length;
            controller.enqueue(chunk);
          },
          cancel() {
            body.cancelled = true;
          },
        }, { highWaterMark: 0 }),
      ),
  };
  return body;
}
