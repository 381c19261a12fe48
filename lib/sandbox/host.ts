/**
 * The sandbox process: started by unik (see process.ts) with permission to read only the
 * project and unik's sources, no npm or remote modules, a heap limit, and killed by unik when
 * it takes too long. It starts the permission-less Worker that evaluates config.ts (a second
 * layer) and relays between the two: requests arrive as JSON lines on standard input, after a
 * first line with the nonce and the Worker's read scope; every message of the Worker leaves on
 * standard output as one line `<nonce><json>`. config.ts can print to standard output too, but
 * it never sees the nonce, so unik tells the two apart. This module only relays: unik parses
 * and validates what comes out (protocol.ts).
 * @module
 */

/** What unik sends first. */
interface Setup {
  /** Prefix of every protocol line. */
  readonly nonce: string;
  /** What the Worker may read (absolute paths). */
  readonly read: readonly string[];
}

const encoder = new TextEncoder();

function writeOut(text: string): void {
  const bytes = encoder.encode(text);
  let done = 0;
  while (done < bytes.length) done += Deno.stdout.writeSync(bytes.subarray(done));
}

/** Lines of standard input. */
async function* inputLines(): AsyncGenerator<string> {
  let pending = "";
  for await (const chunk of Deno.stdin.readable.pipeThrough(new TextDecoderStream())) {
    pending += chunk;
    let newline: number;
    while ((newline = pending.indexOf("\n")) >= 0) {
      yield pending.slice(0, newline);
      pending = pending.slice(newline + 1);
    }
  }
}

/** Runs the sandbox process until unik closes its standard input. */
export async function runSandboxHost(): Promise<void> {
  const lines = inputLines();
  const first = await lines.next();
  if (first.done) return;
  const setup = JSON.parse(first.value) as Setup;
  // A newline first: whatever config.ts printed without one does not swallow the frame.
  const send = (message: unknown) => writeOut(`\n${setup.nonce}${JSON.stringify(message)}\n`);
  const worker = new Worker(new URL("./worker.ts", import.meta.url), {
    type: "module",
    deno: {
      permissions: {
        read: [...setup.read],
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
  worker.onmessage = (e: MessageEvent) => {
    let json: string | undefined;
    try {
      json = JSON.stringify(e.data);
    } catch { /* reported below */ }
    if (json === undefined) {
      send({ type: "crash", message: "the sandbox sent a malformed message" });
    } else writeOut(`\n${setup.nonce}${json}\n`);
  };
  worker.onerror = (e: ErrorEvent) => {
    e.preventDefault();
    send({ type: "crash", message: e.message });
  };
  for await (const line of lines) {
    if (line !== "") worker.postMessage(JSON.parse(line));
  }
  worker.terminate();
}

if (import.meta.main) {
  await runSandboxHost();
  Deno.exit(0);
}
