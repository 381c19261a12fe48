/**
 * From an implementation graph to the device graph of one configuration: every choice
 * resolved with the key values, applications flattened, identical devices shared, and nodes
 * numbered the Functoria way (post-order, arguments before extra deps). Iterative, so that
 * deep graphs do not exhaust the call stack, and linear in the size of the graph.
 * @module
 */

import { configError } from "../errors.ts";
import type { KeyContext } from "../dsl/key.ts";
import { type Device, Impl } from "../dsl/impl.ts";

/** A node of the resolved device graph. */
export interface GraphNode {
  /** Functoria's number: post-order, arguments before extra deps, from 1. */
  readonly id: number;
  /** The device. */
  readonly device: Device;
  /** Functor arguments, in order. */
  readonly args: readonly GraphNode[];
  /** Extra dependencies, in order. */
  readonly deps: readonly GraphNode[];
}

/** A resolved device graph. */
export interface Graph {
  /** The root (the last node). */
  readonly root: GraphNode;
  /** All nodes, by increasing id. */
  readonly nodes: readonly GraphNode[];
  /** The node an implementation of the original graph resolved to. */
  nodeOf(impl: Impl<unknown>): GraphNode | undefined;
}

interface Flat {
  readonly device: Device;
  readonly args: readonly Impl<unknown>[];
  readonly deps: readonly Impl<unknown>[];
}

function sameTag(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  return typeof a === "object" && typeof b === "object" && JSON.stringify(a) === JSON.stringify(b);
}

/** The branch a choice takes in a context. */
export function chooseBranch(
  node: Extract<Impl<unknown>["node"], { kind: "if" }>,
  ctx: KeyContext,
): Impl<unknown> {
  const v = node.cond.eval(ctx);
  const hit = node.branches.find(([tag]) => sameTag(tag, v));
  return hit ? hit[1] : node.default;
}

/** A device with all its arguments, choices resolved. */
function flatten(impl: Impl<unknown>, ctx: KeyContext): Flat {
  const pending: Impl<unknown>[][] = [];
  let current = impl;
  for (;;) {
    const n = current.node;
    if (n.kind === "if") current = chooseBranch(n, ctx);
    else if (n.kind === "app") {
      pending.push([...n.args]);
      current = n.head;
    } else {
      const extra = pending.reverse().flat();
      return { device: n.device, args: [...n.args, ...extra], deps: n.deps };
    }
  }
}

interface Frame {
  readonly impl: Impl<unknown>;
  readonly flat: Flat;
  readonly children: readonly Impl<unknown>[];
  next: number;
}

/** Resolves `root` in a key context into a numbered device graph. */
export function resolveGraph(root: Impl<unknown>, ctx: KeyContext): Graph {
  const byImpl = new Map<Impl<unknown>, GraphNode>();
  const byShape = new Map<string, GraphNode>();
  const nodes: GraphNode[] = [];
  const onStack = new Set<Impl<unknown>>();
  const frame = (impl: Impl<unknown>): Frame => {
    if (!(impl instanceof Impl)) throw configError("a dependency is not a device");
    const flat = flatten(impl, ctx);
    onStack.add(impl);
    return { impl, flat, children: [...flat.args, ...flat.deps], next: 0 };
  };
  const stack: Frame[] = [frame(root)];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.next < top.children.length) {
      const child = top.children[top.next++];
      if (byImpl.has(child)) continue;
      if (onStack.has(child)) throw cycleError(stack, child);
      stack.push(frame(child));
      continue;
    }
    const args = top.flat.args.map((a) => byImpl.get(a)!);
    const deps = top.flat.deps.map((d) => byImpl.get(d)!);
    const shape = `${top.flat.device.id}(${args.map((a) => a.id).join(",")}|${
      deps.map((d) => d.id).join(",")
    })`;
    let node = byShape.get(shape);
    if (!node) {
      node = { id: nodes.length + 1, device: top.flat.device, args, deps };
      byShape.set(shape, node);
      nodes.push(node);
    }
    byImpl.set(top.impl, node);
    onStack.delete(top.impl);
    stack.pop();
  }
  return {
    root: byImpl.get(root)!,
    nodes,
    nodeOf: (impl) => byImpl.get(impl) ?? byImpl.get(resolvedImpl(impl, ctx)),
  };
}

function resolvedImpl(impl: Impl<unknown>, ctx: KeyContext): Impl<unknown> {
  let current = impl;
  while (current.node.kind === "if") current = chooseBranch(current.node, ctx);
  return current;
}

function cycleError(stack: readonly Frame[], child: Impl<unknown>): Error {
  const start = stack.findIndex((f) => f.impl === child);
  const path = [
    ...stack.slice(start).map((f) => f.flat.device.moduleName),
    stack[start].flat.device.moduleName,
  ];
  return configError(`dependency cycle: ${path.join(" -> ")}`, {
    hint: "a device cannot depend on itself, directly or through extraDeps/deps",
  });
}

/**
 * The order in which main.ml declares and connects devices: post-order, extra deps first (left
 * to right), then arguments (left to right). The root comes last.
 */
export function visitOrder(graph: Graph): GraphNode[] {
  return postOrder(graph.root, (n) => [...n.deps, ...n.args]);
}

/**
 * The order of the devices' contributions to the build: their dune stanzas and their installed
 * files. mirage 4.9 collects both in one walk (Functoria's `Impl.collect`): a post-order that
 * visits a node's extra deps, then its arguments, each right to left (OCaml evaluates the
 * `List.fold_right` over deps and the `aux h :: aux_tl t` over arguments from the right), and
 * puts each node's contribution before everything collected so far. The result is the reverse
 * of that walk: the root first, then the arguments left to right, the jobs last.
 */
export function contributionOrder(graph: Graph): GraphNode[] {
  return postOrder(graph.root, (n) => [...n.deps].reverse().concat([...n.args].reverse()))
    .reverse();
}

function postOrder(root: GraphNode, children: (n: GraphNode) => readonly GraphNode[]): GraphNode[] {
  const out: GraphNode[] = [];
  const seen = new Set<number>([root.id]);
  const stack: { node: GraphNode; kids: readonly GraphNode[]; next: number }[] = [
    { node: root, kids: children(root), next: 0 },
  ];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.next < top.kids.length) {
      const kid = top.kids[top.next++];
      if (seen.has(kid.id)) continue;
      seen.add(kid.id);
      stack.push({ node: kid, kids: children(kid), next: 0 });
      continue;
    }
    out.push(top.node);
    stack.pop();
  }
  return out;
}

/** Every implementation reachable from `root`, through every branch of every choice. */
export function allImpls(root: Impl<unknown>): Impl<unknown>[] {
  const seen = new Set<Impl<unknown>>([root]);
  const todo = [root];
  for (let i = 0; i < todo.length; i++) {
    const n = todo[i].node;
    const next = n.kind === "dev"
      ? [...n.args, ...n.deps]
      : n.kind === "app"
      ? [n.head, ...n.args]
      : [...n.branches.map(([, b]) => b), n.default];
    for (const x of next) {
      if (x instanceof Impl && !seen.has(x)) {
        seen.add(x);
        todo.push(x);
      }
    }
  }
  return todo;
}
