/**
 * `unik describe`: the name, keys and (verbosely) libraries and packages of a unikernel, and
 * its graph in Graphviz form, evaluated fully or only where the keys are known.
 * @module
 */

import type { Impl } from "./dsl/impl.ts";
import type { Key, KeyContext } from "./dsl/key.ts";
import type { Package } from "./dsl/package.ts";
import { chooseBranch } from "./graph/resolve.ts";
import { niceName } from "./graph/naming.ts";

/** Inputs of the text description. */
export interface DescribeTextInput {
  /** Register name. */
  readonly name: string;
  /** Keys and whether each was set. */
  readonly keys: readonly {
    readonly name: string;
    readonly value: unknown;
    readonly set: boolean;
  }[];
  /** The `-o` value. */
  readonly output?: string;
  /** Verbose: libraries and packages. */
  readonly verbose?: {
    readonly libraries: readonly string[];
    readonly packages: readonly Package[];
  };
}

function showValue(v: unknown): string {
  if (v === null || v === undefined) return "";
  return Array.isArray(v) ? v.join(",") : String(v);
}

/** The text of `unik describe`. */
export function describeText(input: DescribeTextInput): string {
  const col = (label: string) => label.padEnd(11);
  const keys = input.keys.map((k) => `${k.name}=${showValue(k.value)}${k.set ? "" : " (default)"}`);
  const lines = [`${col("Name")}${input.name}`];
  lines.push(`${col("Keys")}${keys.join(`,\n${" ".repeat(11)}`)}`);
  if (input.output) lines.push(`${col("Output")}${input.output}`);
  if (input.verbose) {
    lines.push(`${col("Libraries")}${input.verbose.libraries.join(", ")}`);
    lines.push(`${col("Packages")}${input.verbose.packages.map((p) => p.name).join(", ")}`);
  }
  return lines.join("\n") + "\n";
}

/**
 * The graph in Graphviz dot form. With `full`, every choice is resolved; otherwise only those
 * whose keys are all set. Devices are boxes, choices `If` vertices, pending applications `$`.
 */
export function describeDot(root: Impl<unknown>, ctx: KeyContext, full: boolean): string {
  const ids = new Map<Impl<unknown>, number>();
  const vertices: string[] = [];
  const edges: string[] = [];
  const pick = (i: Impl<unknown>): Impl<unknown> => {
    let cur = i;
    while (cur.node.kind === "if" && (full || cur.node.cond.isDetermined(ctx))) {
      cur = chooseBranch(cur.node, ctx);
    }
    return cur;
  };
  const children = (i: Impl<unknown>): Impl<unknown>[] => {
    const n = i.node;
    if (n.kind === "dev") return [...[...n.deps].reverse(), ...n.args].map(pick);
    if (n.kind === "app") return [pick(n.head), ...n.args.map(pick)];
    return [...n.branches.map(([, b]) => pick(b)), pick(n.default)];
  };
  const start = pick(root);
  const stack: { impl: Impl<unknown>; kids: Impl<unknown>[]; next: number }[] = [
    { impl: start, kids: children(start), next: 0 },
  ];
  const visiting = new Set<Impl<unknown>>([start]);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.next < top.kids.length) {
      const kid = top.kids[top.next++];
      if (ids.has(kid) || visiting.has(kid)) continue;
      visiting.add(kid);
      stack.push({ impl: kid, kids: children(kid), next: 0 });
      continue;
    }
    stack.pop();
    const id = ids.size + 1;
    ids.set(top.impl, id);
    vertices.push(vertex(top.impl, id));
  }
  for (const [impl, id] of ids) edges.push(...edgesOf(impl, id, (i) => ids.get(pick(i))!));
  return `digraph G {\n  ordering=out;\n${vertices.map((v) => `  ${v}`).join("\n")}\n\n${
    edges.map((e) => `  ${e}`).join("\n")
  }\n}\n`;
}

function keyNames(keys: Iterable<Key<unknown>>): string {
  return [...keys].map((k) => k.name).join(", ");
}

function vertex(impl: Impl<unknown>, id: number): string {
  const n = impl.node;
  if (n.kind === "if") return `${id} [label="If\\n${keyNames(n.cond.keys)}"];`;
  if (n.kind === "app") return `${id} [label="$", shape="diamond"];`;
  const label = `${niceName(n.device.moduleName)}__${id}\\n${n.device.moduleName}\\n${
    keyNames(n.device.options.keys ?? [])
  }`;
  return `${id} [label="${label}", shape="box"];`;
}

function edgesOf(impl: Impl<unknown>, id: number, idOf: (i: Impl<unknown>) => number): string[] {
  const n = impl.node;
  if (n.kind === "dev") {
    return [
      ...n.args.map((a) => `${id} -> ${idOf(a)} [];`),
      ...n.deps.map((d) => `${id} -> ${idOf(d)} [style="dashed"];`),
    ];
  }
  if (n.kind === "app") {
    return [
      `${id} -> ${idOf(n.head)} [style="bold", tailport="sw"];`,
      ...n.args.map((a) => `${id} -> ${idOf(a)} [];`),
    ];
  }
  return [
    `${id} -> ${idOf(n.default)} [style="bold", style="dotted", headport="n"];`,
    ...n.branches.map(([, b]) => `${id} -> ${idOf(b)} [style="dotted", headport="n"];`),
  ];
}
