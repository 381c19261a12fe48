/**
 * The third-party plugin the security tests serve on 127.0.0.1: a LED device whose impl options
 * each test chooses, the config.ts that uses it, and plugin code that forges the sandbox's reply.
 * One copy, so every test attacks the same plugin and the same reply shape.
 * @module
 */

/** A LED plugin whose device has `options` (an impl's options, as TypeScript text); `top` runs when it loads. */
export function ledPlugin(options: string, top = ""): string {
  return `import { impl, pkg, typ } from "unik";
${top}
export const meta = { name: "acme-led", version: "1.0.0" };
export const led = typ("led");
export const acmeLed = () => impl("Acme_led", led, {
  connect: (_i, m) => \`\${m}.connect ()\`,
  ${options}
});
`;
}

/** A config.ts registering one unikernel with the LED of the plugin at `url`. */
export function ledConfig(url: string): string {
  return `import { apply, fn, job, main, register } from "unik";
import { acmeLed, led } from "${url}";
export default register("blinky", [apply(main("Unikernel.Main", fn(led, job)), acmeLed())]);
`;
}

/**
 * Plugin code that answers unik's evaluation itself (lib/sandbox/protocol.ts), with `change`
 * applied to an otherwise well-formed evaluation: what no honest device can produce.
 */
export function forgedReply(change: string): string {
  return `const realHandler = globalThis.onmessage;
globalThis.onmessage = (e) => {
  if (e.data.type !== "evaluate") return realHandler(e);
  const value = Object.assign({
    name: "blinky", src: "none", target: "unix", mainMl: "let () = ()\\n", hookFiles: [],
    stanzas: [{ kind: "target" }], installs: [], packages: [], libraries: [],
    resources: { networks: [], blocks: [] },
  }, ${change});
  globalThis.postMessage({ type: "done", value, nondeterministic: false, readFiles: false });
};`;
}
