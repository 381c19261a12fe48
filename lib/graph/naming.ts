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

/** The node's variable in main.ml: `app_make__11`. */
export function varName(node: GraphNode): string {
  return `${niceName(node.device.moduleName)}__${node.id}`;
}

/** The node's module in main.ml: the module itself, or `App_make__11` for a functor. */
export function moduleNameOf(node: GraphNode): string {
  if (!isFunctor(node.device.typ)) return node.device.moduleName;
  const nice = niceName(node.device.moduleName);
  return `${nice.charAt(0).toUpperCase()}${nice.slice(1)}__${node.id}`;
}

/** opam's form of a name: `.` becomes `_`, other characters outside `[A-Za-z0-9_-]` go. */
export function opamify(name: string): string {
  return name.replace(/\./g, "_").replace(/[^A-Za-z0-9_-]/g, "");
}
