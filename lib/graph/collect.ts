/**
 * What a resolved graph needs as a whole: its keys, its runtime arguments (deduplicated and
 * ordered) and its opam packages (merged, conflicts reported).
 * @module
 */

import type { Key, KeyContext } from "../dsl/key.ts";
import { mergePackages, type Package, requestedBy } from "../dsl/package.ts";
import type { RuntimeArg } from "../dsl/runtime_arg.ts";
import type { Impl } from "../dsl/impl.ts";
import { allImpls, type Graph, type GraphNode } from "./resolve.ts";

/** Every key the configuration reads, in any branch, sorted by name. */
export function collectKeys(root: Impl<unknown>): Key<unknown>[] {
  const keys = new Map<string, Key<unknown>>();
  const add = (k: Key<unknown>) => {
    const prev = keys.get(k.name);
    if (prev && prev !== k && JSON.stringify(prev.desc) !== JSON.stringify(k.desc)) {
      throw new Error(`duplicate key: two different keys are named ${k.name}`);
    }
    if (!prev) keys.set(k.name, k);
  };
  for (const i of allImpls(root)) {
    const n = i.node;
    if (n.kind === "if") n.cond.keys.forEach(add);
    if (n.kind === "dev") {
      (n.device.options.keys ?? []).forEach(add);
      n.device.options.packagesV?.keys.forEach(add);
    }
  }
  return [...keys.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A runtime argument with the display form of its position, for ordering and printing. */
export interface PlacedArg {
  /** The argument. */
  readonly arg: RuntimeArg<unknown>;
  /** Its position as printed in main.ml. */
  readonly file: string;
  /** Its line. */
  readonly line: number;
}

/**
 * The distinct runtime arguments of the graph, ordered by position file, line, name and code
 * (an argument declared once and used by several devices is registered once).
 */
export function collectRuntimeArgs(
  graph: Graph,
  showFile: (url: string) => string,
): PlacedArg[] {
  const byId = new Map<string, PlacedArg>();
  for (const node of graph.nodes) {
    for (const arg of node.device.options.runtimeArgs ?? []) {
      if (byId.has(arg.identity)) continue;
      const pos = arg.pos;
      byId.set(arg.identity, { arg, file: pos ? showFile(pos.file) : "", line: pos?.line ?? 0 });
    }
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...byId.values()].sort((a, b) =>
    cmp(a.file, b.file) || a.line - b.line || cmp(a.arg.name, b.arg.name) ||
    cmp(a.arg.code, b.arg.code)
  );
}

/** The packages one node asks for: static, key-dependent and those of its runtime args. */
export function nodePackages(node: GraphNode, ctx: KeyContext): Package[] {
  const o = node.device.options;
  const list = [
    ...(o.packages ?? []),
    ...(o.packagesV?.eval(ctx) ?? []),
    ...(o.runtimeArgs ?? []).flatMap((a) => a.packages),
  ];
  const from = node.device.describe();
  return list.map((p) => requestedBy(p, from));
}

/** All packages of the graph, merged, sorted by name. */
export function collectPackages(graph: Graph, ctx: KeyContext): Package[] {
  const merged = mergePackages(graph.nodes.map((n) => nodePackages(n, ctx)));
  return [...merged.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The ocamlfind libraries to link: those of non-build packages and local ones, sorted. */
export function collectLibraries(graph: Graph, packages: readonly Package[]): string[] {
  const libs = new Set<string>();
  for (const p of packages) if (!p.build) p.libs.forEach((l) => libs.add(l));
  for (const n of graph.nodes) (n.device.options.localLibs ?? []).forEach((l) => libs.add(l));
  return [...libs].sort();
}
