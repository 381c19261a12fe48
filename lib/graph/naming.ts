/**
 * Functoria's naming of graph nodes: a variable `<nice name>__<id>` per node and, for functor
 * devices, a module `<Nice name>__<id>`.
 * @module
 */

import { ocamlify } from "../dsl/runtime_arg.ts";
import { isFunctor } from "../dsl/typ.ts";
import type { GraphNode } from "./resolve.ts";

/** The module path, snake-cased: `Tcpip_stack_direct.MakeV4V6` -> `tcpip_stack_direct_makev4v6`. */
export function niceName(moduleName: string): string {
  return ocamlify(moduleName.split(".").join("_").toLowerCase());
}

// main.ml names a node once per edge: computed once per node.
const varNames = new WeakMap<GraphNode, string>();
const moduleNames = new WeakMap<GraphNode, string>();

/** The node's variable in main.ml: `app_make__11`. */
export function varName(node: GraphNode): string {
  let name = varNames.get(node);
  if (name === undefined) {
    varNames.set(node, name = `${niceName(node.device.moduleName)}__${node.id}`);
  }
  return name;
}

/** The node's module in main.ml: the module itself, or `App_make__11` for a functor. */
export function moduleNameOf(node: GraphNode): string {
  if (!isFunctor(node.device.typ)) return node.device.moduleName;
  let name = moduleNames.get(node);
  if (name === undefined) {
    const nice = niceName(node.device.moduleName);
    moduleNames.set(node, name = `${nice.charAt(0).toUpperCase()}${nice.slice(1)}__${node.id}`);
  }
  return name;
}

/** opam's form of a name: `.` becomes `_`, other characters outside `[A-Za-z0-9_-]` go. */
export function opamify(name: string): string {
  return name.replace(/\./g, "_").replace(/[^A-Za-z0-9_-]/g, "");
}
