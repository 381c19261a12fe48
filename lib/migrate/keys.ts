/**
 * Cmdliner argument descriptions (`Key.Arg.info`, `Arg.opt`, converters) and `Key.create`,
 * which become a `key({...})` call, and the tags of the predefined keys' values.
 * @module
 */

import type { Arg, Expr, Pos } from "./ast.ts";
import type { TsExpr, TsProp } from "./emit.ts";
import type { Conv, Ctx, Scope, V } from "./scope.ts";

/** `Key.Arg.info ~doc ~docv ~env names`: the fields a key takes from it. */
export function argInfo(ctx: Ctx, args: readonly Arg[], scope: Scope, top: boolean, pos: Pos): V {
  const names = args.find((a) => !a.label)?.expr;
  if (names?.kind !== "list" || !names.items.every((n) => n.kind === "string")) {
    ctx.fail(pos, "Arg.info takes a list of option names");
  }
  const props = new Map<string, TsExpr>();
  for (const a of args) {
    if (!a.label) continue;
    if (!["doc", "docs", "docv", "env"].includes(a.label)) {
      ctx.fail(a.pos, `Arg.info: ~${a.label} is not understood`);
    }
    let v = a.expr;
    if (
      a.label === "env" && v.kind === "app" && v.fn.kind === "ident" && v.fn.name === "env_var"
    ) v = v.args[0].expr;
    props.set(a.label, ctx.value(v, scope, top));
  }
  return {
    k: "meta",
    meta: { k: "info", props, names: names.items.map((n) => (n as { value: string }).value) },
  };
}

/** A Cmdliner converter (`string`, `int`, `bool`, `enum [...]`, `list c`, `some c`). */
export function converter(ctx: Ctx, e: Expr, scope: Scope): Conv {
  if (e.kind === "open") return ctx.withOpen(e.path, () => converter(ctx, e.expr, scope));
  if (e.kind === "ident") {
    if (["string", "int", "bool"].includes(e.name)) {
      return { k: e.name as "string" | "int" | "bool" };
    }
    const b = e.path.length === 0 ? scope.get(e.name) : undefined;
    if (b?.k === "meta" && b.meta.k === "conv") return b.meta.conv;
  }
  if (e.kind === "app" && e.fn.kind === "ident") {
    const arg = e.args[0]?.expr;
    if (e.fn.name === "list") return { k: "list", of: converter(ctx, arg, scope) };
    if (e.fn.name === "some") return { k: "some", of: converter(ctx, arg, scope) };
    if (e.fn.name === "enum" && arg?.kind === "list") {
      const values = arg.items.map((it) => {
        if (
          it.kind !== "tuple" || it.items[0].kind !== "string" || it.items[1].kind !== "variant"
        ) {
          ctx.fail(it.pos, 'an enum case is a pair ("name", `Tag)');
        }
        return [it.items[0].value, it.items[1].tag] as const;
      });
      return { k: "enum", values };
    }
  }
  return ctx.fail(
    e.pos,
    "this Cmdliner converter cannot be translated (string, int, bool, enum, list and some are)",
  );
}

/** `Arg.opt conv default info` or `Arg.flag info`: the options of a key. */
export function argTerm(
  ctx: Ctx,
  kind: "opt" | "flag",
  args: readonly Arg[],
  scope: Scope,
  top: boolean,
  pos: Pos,
): V {
  const positional = args.filter((a) => !a.label);
  const stage = args.find((a) => a.label === "stage");
  if (stage && !(stage.expr.kind === "variant" && stage.expr.tag === "Configure")) {
    ctx.fail(
      stage.pos,
      "a key of ~stage:`Run is a boot argument: declare it with Runtime_arg.create instead",
    );
  }
  const infoArg = positional[positional.length - 1];
  const info = infoArg && ctx.expr(infoArg.expr, scope, top);
  if (!info || info.k !== "meta" || info.meta.k !== "info") {
    ctx.fail(pos, "the last argument must be an Arg.info");
  }
  const props: TsProp[] = [];
  let tags: Map<string, string> | undefined;
  if (kind === "flag") props.push({ key: "type", value: { k: "str", value: "flag" } });
  else {
    const conv = converter(ctx, positional[0].expr, scope);
    const d = positional[1].expr;
    switch (conv.k) {
      case "string":
        props.push({ key: "default", value: ctx.value(d, scope, top) });
        break;
      case "int":
      case "bool":
        props.push({ key: "type", value: { k: "str", value: conv.k } });
        props.push({ key: "default", value: ctx.value(d, scope, top) });
        break;
      case "enum": {
        tags = new Map(conv.values.map(([s, t]) => [t, s]));
        props.push({ key: "type", value: { k: "str", value: "enum" } });
        props.push({
          key: "values",
          value: { k: "array", items: conv.values.map(([s]) => ({ k: "str", value: s })) },
        });
        if (d.kind !== "variant" || !tags.has(d.tag)) {
          ctx.fail(d.pos, "the default must be one of the enum's tags");
        }
        props.push({ key: "default", value: { k: "str", value: tags.get(d.tag)! } });
        break;
      }
      case "list":
        if (conv.of.k !== "string") {
          ctx.fail(positional[0].pos, "only lists of strings can be keys");
        }
        props.push({ key: "type", value: { k: "str", value: "list" } });
        props.push({ key: "default", value: ctx.value(d, scope, top) });
        break;
      case "some":
        if (conv.of.k !== "string" && conv.of.k !== "enum") {
          ctx.fail(positional[0].pos, "only string and enum options can be keys");
        }
        if (!(d.kind === "constr" && d.name === "None")) {
          ctx.fail(d.pos, "an optional key's default must be None");
        }
        if (conv.of.k === "enum") {
          tags = new Map(conv.of.values.map(([s, t]) => [t, s]));
          props.push({ key: "type", value: { k: "str", value: "enum" } });
          props.push({
            key: "values",
            value: { k: "array", items: conv.of.values.map(([s]) => ({ k: "str", value: s })) },
          });
        } else props.push({ key: "type", value: { k: "str", value: "string" } });
        props.push({ key: "optional", value: { k: "bool", value: true } });
        break;
    }
  }
  const { names, props: infoProps } = info.meta;
  const long = names.find((n) => n.length > 1);
  const short = names.find((n) => n.length === 1);
  const all: TsProp[] = [];
  if (long) all.push({ key: "name", value: { k: "str", value: long } });
  all.push(...props);
  for (const [k, v] of infoProps) all.push({ key: k, value: v });
  if (short) all.push({ key: "short", value: { k: "str", value: short } });
  return { k: "meta", meta: { k: "arg", props: all, tags } };
}

/** `Key.create name arg`: a `key({...})` call. */
export function keyCreate(ctx: Ctx, args: readonly Arg[], scope: Scope, top: boolean, pos: Pos): V {
  const positional = args.filter((a) => !a.label);
  if (positional.length !== 2 || positional[0].expr.kind !== "string") {
    ctx.fail(pos, "Key.create takes a name and an Arg");
  }
  const term = ctx.expr(positional[1].expr, scope, top);
  if (term.k !== "meta" || term.meta.k !== "arg") {
    ctx.fail(positional[1].pos, "Key.create's second argument must be an Arg.opt or Arg.flag");
  }
  const name = positional[0].expr.value;
  const props = term.meta.props.some((p) => p.key === "name")
    ? term.meta.props
    : [{ key: "name", value: { k: "str" as const, value: name } }, ...term.meta.props];
  return {
    k: "ts",
    e: { k: "call", callee: ctx.unik("key"), args: [{ k: "object", props }] },
    info: { keyTags: term.meta.tags },
  };
}

// ---- operators ----

/** Tags of the target key, `Hvt` to `hvt`. */
export const TARGET_TAGS: ReadonlyMap<string, string> = new Map(
  ["Unix", "MacOSX", "Xen", "Qubes", "Virtio", "Hvt", "Muen", "Genode", "Spt"].map((
    t,
  ) => [t, t.toLowerCase()]),
);
/** Tags of `Key.kv_ro`'s values. */
export const KV_RO_TAGS: ReadonlyMap<string, string> = new Map([["Crunch", "crunch"], [
  "Direct",
  "direct",
]]);
/** Tags of `Key.block`'s values. */
export const BLOCK_TAGS: ReadonlyMap<string, string> = new Map([
  ["XenstoreId", "xenstore"],
  ["BlockFile", "file"],
  ["Ramdisk", "ramdisk"],
]);
