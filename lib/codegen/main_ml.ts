/**
 * The generated `mirage/main.ml`: the Lwt prelude, one registration per runtime argument, one
 * module per functor application, one lazy connect binding per device, and the final run that
 * forces the start-up jobs, then the root.
 * @module
 */

import { configError, UnikError } from "../errors.ts";
import type { Info } from "../dsl/impl.ts";
import type { PlacedArg } from "../graph/collect.ts";
import { moduleNameOf, varName } from "../graph/naming.ts";
import type { GraphNode } from "../graph/resolve.ts";

/** What main.ml is generated from. */
export interface MainMlInput {
  /** Nodes in visit order (root last). */
  readonly order: readonly GraphNode[];
  /** The start-up job nodes, in start-up order. */
  readonly initNodes: readonly GraphNode[];
  /** The distinct runtime arguments, in registration order. */
  readonly runtimeArgs: readonly PlacedArg[];
  /** The target's OS module (`Unix_os`, ...). */
  readonly osModule: string;
  /** main.ml's own path as line directives name it (`mirage/main.ml`). */
  readonly path: string;
  /** Build information for connect hooks. */
  readonly info: Info;
  /** Display form of a source file URL. */
  readonly showFile: (url: string) => string;
}

/** Accumulates lines and knows the current line number, for `# line` directives. */
class Lines {
  readonly #lines: string[] = [];

  push(...lines: string[]): void {
    for (const l of lines) {
      if (!l.includes("\n")) this.#lines.push(l);
      else for (const part of l.split("\n")) this.#lines.push(part);
    }
  }

  /** A directive sending the compiler back to main.ml's own line numbering. */
  reset(path: string): void {
    this.#lines.push(`# ${this.#lines.length + 2} "${path}"`);
  }

  text(): string {
    return this.#lines.join("\n") + "\n";
  }
}

function connectCode(node: GraphNode, info: Info, args: readonly string[]) {
  const o = node.device.options;
  if (!o.connect) return { code: `return (${args.join(", ")})`, pos: undefined };
  let result;
  try {
    result = o.connect(info, moduleNameOf(node), args);
  } catch (e) {
    if (e instanceof UnikError) throw e;
    throw configError(
      `the connect code of ${node.device.describe()} failed: ${e instanceof Error ? e.message : e}`,
    );
  }
  if (typeof result === "string") return { code: result, pos: node.device.pos };
  if (!result || typeof result.code !== "string") {
    throw configError(`the connect code of ${node.device.describe()} is not a string`);
  }
  return { code: result.code, pos: result.pos };
}

function indent(code: string): string {
  return code.split("\n").map((l) => (l === "" ? l : `  ${l}`)).join("\n");
}

function registrations(out: Lines, input: MainMlInput): void {
  for (const { arg, file, line } of input.runtimeArgs) {
    out.push(`let ${arg.name}__key = Mirage_runtime.register_arg @@`);
    if (file) out.push(`# ${line} "${file}"`);
    out.push(`  ${arg.code}`, ";;", "");
  }
}

/** Generates main.ml. */
export function generateMainMl(input: MainMlInput): string {
  const out = new Lines();
  out.push(
    "open Lwt.Infix",
    "type 'a io = 'a Lwt.t",
    "let return = Lwt.return",
    `let run t = ${input.osModule}.Main.run t ; exit 0`,
    "",
  );
  for (const node of input.order) {
    if (node.device.options.registersRuntimeArgs) registrations(out, input);
    if (node.args.length > 0) {
      const applied = node.args.map((a) => `(${moduleNameOf(a)})`).join("");
      out.reset(input.path);
      out.push("", `module ${moduleNameOf(node)} = ${node.device.moduleName}${applied}`, "");
    }
  }
  for (const node of input.order) {
    const children = [...node.args, ...node.deps];
    const runtimeArgs = node.device.options.runtimeArgs ?? [];
    const args = [
      ...children.map((c) => `_${varName(c)}`),
      ...runtimeArgs.map((r) => `_${r.name}`),
    ];
    const { code, pos } = connectCode(node, input.info, args);
    out.push(`let ${varName(node)} = lazy (`);
    for (const c of children) out.push(`  let __${varName(c)} = Lazy.force ${varName(c)} in`);
    for (const c of children) out.push(`  __${varName(c)} >>= fun _${varName(c)} ->`);
    for (const r of runtimeArgs) out.push(`  let _${r.name} = (${r.name}__key ()) in`);
    if (pos) out.push(`# ${pos.line} "${input.showFile(pos.file)}"`);
    out.push(indent(code), ");;");
    out.reset(input.path);
    out.push("");
  }
  const root = input.order[input.order.length - 1];
  const forced = [...input.initNodes.map((n) => `Lazy.force ${varName(n)} >>= fun _ ->`)];
  forced.push(`Lazy.force ${varName(root)} in`);
  out.push("let () =", `  let t = ${forced[0]}`, ...forced.slice(1).map((l) => `  ${l}`));
  out.push("  run t", ";;");
  return out.text();
}
