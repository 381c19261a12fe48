/**
 * The `Mirage` combinators and OCaml library functions whose translation is not a plain call:
 * `typ`, `impl` and its connect function, `if_impl`, `match_impl`, keys, runtime arguments,
 * format strings, `Option`/`List`/`String` helpers, failures.
 * @module
 */

import type { Arg, Expr, Pos } from "./ast.ts";
import type { TsExpr, TsProp } from "./emit.ts";
import { format } from "./format.ts";
import { argInfo, argTerm, BLOCK_TAGS, converter, keyCreate, KV_RO_TAGS } from "./keys.ts";
import { camel, GROUP_KEYS } from "./names.ts";
import { arrow, type Ctx, type Info, type Scope, type V } from "./scope.ts";

/** `obj.name(...args)`: the method call that OCaml's `List`, `String` and `Key` helpers become. */
function methodCall(obj: TsExpr, name: string, args: TsExpr[]): TsExpr {
  return { k: "call", callee: { k: "member", obj, name }, args };
}

/** The combinators whose translation is not a plain call. */
export function special(
  ctx: Ctx,
  name: string,
  args: readonly Arg[],
  scope: Scope,
  top: boolean,
  pos: Pos,
): V | undefined {
  const val = (e: TsExpr, info?: Info): V => ({ k: "ts", e, info });
  const positional = args.filter((a) => !a.label && a.expr.kind !== "unit");
  const label = (l: string) => args.find((a) => a.label === l);
  const rest = (from: number) =>
    args.filter((a) => a.label || a.expr.kind === "unit" || positional.indexOf(a) >= from);
  switch (name) {
    case "typ": {
      const a = positional[0]?.expr;
      if (a?.kind !== "constr" || a.path.length > 0) {
        ctx.fail(pos, "typ takes the constructor of a type defined in config.ml");
      }
      const t = ctx.constructors.get(a.name);
      if (!t) {
        ctx.fail(a.pos, `${a.name} is not the constructor of a type defined in config.ml`);
      }
      return val({ k: "call", callee: ctx.unik("typ"), args: [{ k: "str", value: t }] }, {
        isTyp: true,
      });
    }
    case "impl":
      return val(impl(ctx, args, scope, top, pos));
    case "if_impl":
      return val({
        k: "call",
        callee: ctx.unik("ifImpl"),
        args: positional.map((a) => ctx.value(a.expr, scope, top)),
      });
    case "match_impl":
      return val(matchImpl(ctx, args, scope, top, pos));
    case "Key.value": {
      const k = ctx.expr(positional[0].expr, scope, top);
      const ke = ctx.ts(k, positional[0].pos);
      const tags = k.k === "ts" ? k.info?.keyTags : undefined;
      return val({ k: "call", callee: ctx.unik("value"), args: [ke] }, { tags });
    }
    case "Key.pure":
      return val(
        methodCall(ctx.unik("Value"), "pure", [ctx.value(positional[0].expr, scope, top)]),
      );
    case "Key.v":
    case "Key.abstract":
    case "Runtime_arg.v":
      if (positional.length !== 1) return undefined;
      return ctx.expr(positional[0].expr, scope, top);
    case "Key.create":
      return keyCreate(ctx, args, scope, top, pos);
    case "Key.Arg.info":
    case "Arg.info":
      return argInfo(ctx, args, scope, top, pos);
    case "Key.Arg.opt":
    case "Arg.opt":
    case "Key.Arg.flag":
    case "Arg.flag":
      return argTerm(ctx, name.endsWith("flag") ? "flag" : "opt", args, scope, top, pos);
    case "Key.Arg.list":
    case "Arg.list":
    case "Key.Arg.some":
    case "Arg.some":
    case "Key.Arg.enum":
    case "Arg.enum":
      return {
        k: "meta",
        meta: {
          k: "conv",
          conv: converter(ctx, {
            kind: "app",
            fn: { kind: "ident", path: [], name: name.split(".").pop()!, pos },
            args,
            pos,
          }, scope),
        },
      };
    case "Runtime_arg.create":
    case "runtime_arg": {
      const code = positional[0];
      if (!code || code.expr.kind !== "string") {
        ctx.fail(
          pos,
          "Runtime_arg.create takes the OCaml code of a Cmdliner term, as a string",
        );
      }
      for (const a of args) {
        if (a.label && a.label !== "pos" && a.label !== "packages") {
          ctx.fail(a.pos, `Runtime_arg.create: ~${a.label} is not understood`);
        }
      }
      const call = {
        k: "call" as const,
        callee: ctx.unik("runtimeArg"),
        typeArgs: undefined as string[] | undefined,
        args: [] as TsExpr[],
      };
      const built = ctx.call(
        call.callee,
        args.filter((a) => a !== code && a.label !== "pos"),
        scope,
        top,
      );
      call.args = [
        { k: "str", value: code.expr.value },
        ...(built as Extract<TsExpr, { k: "call" }>).args,
      ];
      const info: Info = { runtimeArg: call as unknown as { typeArgs?: string[] } };
      return val(call, info);
    }
    case "code":
    case "Fmt.str":
    case "Printf.sprintf":
    case "Format.asprintf":
      return val(format(ctx, positional.map((a) => a.expr), scope, pos));
    case "Info.name":
      return val({
        k: "member",
        obj: ctx.value(positional[0].expr, scope, top),
        name: "name",
      });
    case "Key.get":
    case "Info.get": {
      const context = positional[0].expr;
      const infoExpr =
        context.kind === "app" && context.fn.kind === "ident" && context.fn.name === "context"
          ? context.args[0].expr
          : context;
      return val(
        methodCall(ctx.value(infoExpr, scope, top), "get", [
          ctx.value(positional[1].expr, scope, top),
        ]),
      );
    }
    case "default_reporter": {
      const level = label("level");
      if (!level) return val({ k: "call", callee: ctx.unik("defaultReporter"), args: [] });
      const lv = level.expr.kind === "constr" && level.expr.name === "None"
        ? { k: "id" as const, name: "null" }
        : ctx.value(level.expr, scope, top);
      return val({
        k: "call",
        callee: ctx.unik("defaultReporter"),
        args: [{ k: "object", props: [{ key: "level", value: lv }] }],
      });
    }
    case "Ipaddr.V4.Prefix.of_string_exn":
    case "Ipaddr.V6.Prefix.of_string_exn":
    case "Ipaddr.V4.of_string_exn":
    case "Ipaddr.V6.of_string_exn":
    case "Ipaddr.of_string_exn":
    case "Ipaddr.Prefix.of_string_exn":
      if (positional[0]?.expr.kind !== "string") {
        ctx.fail(pos, `${name} is understood only on a string literal`);
      }
      return val({ k: "str", value: positional[0].expr.value });
    case "Option.to_list": {
      const x = ctx.value(positional[0].expr, scope, top);
      return val(isUndefinedTest(x, { k: "array", items: [] }, { k: "array", items: [x] }));
    }
    case "Option.map": {
      if (isIdentity(positional[0].expr)) return ctx.expr(positional[1].expr, scope, top);
      const f = lambda(ctx, positional[0].expr, scope, top, 1);
      const x = ctx.value(positional[1].expr, scope, top);
      return val(isUndefinedTest(x, { k: "undef" }, { k: "call", callee: f, args: [x] }));
    }
    case "Option.value": {
      const d = label("default");
      if (!d) ctx.fail(pos, "Option.value needs ~default");
      return val({
        k: "bin",
        op: "??",
        left: ctx.value(positional[0].expr, scope, top),
        right: ctx.value(d.expr, scope, top),
      });
    }
    case "Option.is_some":
    case "Option.is_none":
      return val({
        k: "bin",
        op: name.endsWith("some") ? "!==" : "===",
        left: ctx.value(positional[0].expr, scope, top),
        right: { k: "undef" },
      });
    case "List.map":
      if (isIdentity(positional[0].expr)) return ctx.expr(positional[1].expr, scope, top);
      return val(
        methodCall(ctx.value(positional[1].expr, scope, top), "map", [
          lambda(ctx, positional[0].expr, scope, top, 1),
        ]),
      );
    case "List.filter":
      return val(
        methodCall(ctx.value(positional[1].expr, scope, top), "filter", [
          lambda(ctx, positional[0].expr, scope, top, 1),
        ]),
      );
    case "List.concat":
    case "List.flatten":
      return val(methodCall(ctx.value(positional[0].expr, scope, top), "flat", []));
    case "List.append":
      return val(append(ctx, positional[0].expr, positional[1].expr, scope, top));
    case "List.length":
      return val({
        k: "member",
        obj: ctx.value(positional[0].expr, scope, top),
        name: "length",
      });
    case "String.concat":
      return val(
        methodCall(ctx.value(positional[1].expr, scope, top), "join", [
          ctx.value(positional[0].expr, scope, top),
        ]),
      );
    case "not":
      return val({ k: "not", expr: ctx.value(positional[0].expr, scope, top) });
    case "string_of_int":
    case "Int.to_string":
      return val({
        k: "call",
        callee: { k: "id", name: "String" },
        args: [ctx.value(positional[0].expr, scope, top)],
      });
    case "connect_err":
    case "failwith":
    case "invalid_arg":
    case "Fmt.failwith":
      return ctx.fail(pos, `${name} can only be translated as the result of a function`);
  }
  if (name.startsWith("Key.")) {
    const group = GROUP_KEYS[name.slice(4)];
    if (group) {
      const g = label("group");
      for (const a of args) {
        if (a.label && a.label !== "group") {
          ctx.fail(a.pos, `${name}: ~${a.label} is not understood`);
        }
      }
      const callArgs = g ? [ctx.value(g.expr, scope, top)] : [];
      const tags = name === "Key.kv_ro"
        ? KV_RO_TAGS
        : name === "Key.block"
        ? BLOCK_TAGS
        : undefined;
      return val(
        { k: "call", callee: ctx.use({ name: group.name, from: group.from }), args: callArgs },
        { keyTags: tags },
      );
    }
  }
  void rest;
  return undefined;
}

/** A function argument as an arrow function of `arity` parameters. */
export function lambda(ctx: Ctx, e: Expr, scope: Scope, top: boolean, arity: number): TsExpr {
  const v = ctx.expr(e, scope, top);
  if (v.k === "fnref") {
    if (v.sig.positional !== arity) ctx.fail(e.pos, "partial application cannot be translated");
    return { k: "id", name: v.name };
  }
  const f = ctx.ts(v, e.pos);
  if (f.k === "arrow") return f;
  // A library function gets exactly its arguments (map would pass the index too).
  const params = ["x", "y", "z"].slice(0, arity);
  return {
    k: "arrow",
    params: params.map((name) => ({ k: "name", name })),
    body: { k: "call", callee: f, args: params.map((name) => ({ k: "id", name })) },
  };
}

/** `l1 @ l2` and `List.append`: one array, spread where a side is not a literal. */
export function append(ctx: Ctx, l: Expr, r: Expr, scope: Scope, top: boolean): TsExpr {
  const a = ctx.value(l, scope, top), b = ctx.value(r, scope, top);
  const items = (
    x: TsExpr,
  ): TsExpr[] => (x.k === "array" ? [...x.items] : [{ k: "spread", expr: x }]);
  return { k: "array", items: [...items(a), ...items(b)] };
}

/** `impl ~packages ~connect "Module" typ`: a connect function becomes an arrow function. */
export function impl(ctx: Ctx, args: readonly Arg[], scope: Scope, top: boolean, pos: Pos): TsExpr {
  const positional = args.filter((a) => !a.label && a.expr.kind !== "unit");
  if (positional.length !== 2) ctx.fail(pos, "impl takes a module name and a module type");
  const props: TsProp[] = [];
  for (const a of args) {
    if (!a.label) continue;
    if (a.label === "connect") {
      props.push({ key: "connect", value: connect(ctx, a.expr, scope, top) });
      continue;
    }
    if (["dune", "configure", "build", "install", "files", "post_build"].includes(a.label)) {
      ctx.fail(
        a.pos,
        `impl's ~${a.label} hook cannot be translated`,
        `write it in config.ts by hand: impl's ${camel(a.label)} option takes (info) => ...`,
      );
    }
    if (
      !["packages", "packages_v", "runtime_args", "extra_deps", "keys", "local_libs"].includes(
        a.label!,
      )
    ) {
      ctx.fail(a.pos, `impl: ~${a.label} is not understood`);
    }
    const prop = ctx.labelled(a, scope, top);
    if (prop) props.push(prop);
  }
  const out: TsExpr[] = positional.map((a) => ctx.value(a.expr, scope, top));
  if (props.length > 0) out.push({ k: "object", props });
  return { k: "call", callee: ctx.unik("impl"), args: out };
}

/** A connect function: `(info, moduleName, args) => code`. */
export function connect(ctx: Ctx, e: Expr, scope: Scope, top: boolean): TsExpr {
  const hints = ["_info", "_modname", "_args"];
  if (e.kind === "fun" || e.kind === "function") {
    const fn = ctx.func([], e, scope, e.pos, hints);
    return arrow(fn.params, fn.body);
  }
  const v = ctx.expr(e, scope, top);
  return ctx.ts(v, e.pos);
}

/**
 * `match_impl v ~default [ (tag, impl); ... ]`: `matchImpl(v, { tag: impl }, { default: d })`,
 * the options form, so the migrated call still names the default as OCaml's `~default` does.
 */
export function matchImpl(
  ctx: Ctx,
  args: readonly Arg[],
  scope: Scope,
  top: boolean,
  pos: Pos,
): TsExpr {
  const positional = args.filter((a) => !a.label);
  const def = args.find((a) => a.label === "default");
  if (positional.length !== 2 || !def) {
    ctx.fail(pos, "match_impl takes a value, ~default and a list of cases");
  }
  const v = ctx.expr(positional[0].expr, scope, top);
  const subject = ctx.ts(v, positional[0].pos);
  const tags = v.k === "ts" ? v.info?.tags : undefined;
  const list = positional[1].expr;
  if (list.kind !== "list") ctx.fail(list.pos, "match_impl's cases must be a list literal");
  const props: TsProp[] = [];
  const pairs: TsExpr[] = [];
  let allStrings = true;
  for (const c of list.items) {
    if (c.kind !== "tuple" || c.items.length !== 2) {
      ctx.fail(c.pos, "a case of match_impl is a pair (tag, device)");
    }
    const [tag, impl] = c.items;
    let key: TsExpr;
    if (tag.kind === "variant") {
      const s = tags ? tags.get(tag.tag) : tag.tag.toLowerCase();
      if (s === undefined) {
        ctx.fail(
          tag.pos,
          `the tag \`${tag.tag} is not a value of this key (${
            [...tags!.keys()].map((t) => `\`${t}`).join(", ")
          })`,
        );
      }
      key = { k: "str", value: s };
    } else key = ctx.value(tag, scope, top);
    if (key.k !== "str") allStrings = false;
    const device = ctx.value(impl, scope, top);
    if (key.k === "str") props.push({ key: key.value, value: device });
    pairs.push({ k: "array", items: [key, device] });
  }
  const cases: TsExpr = allStrings ? { k: "object", props } : { k: "array", items: pairs };
  return {
    k: "call",
    callee: ctx.unik("matchImpl"),
    args: [subject, cases, {
      k: "object",
      props: [{ key: "default", value: ctx.value(def.expr, scope, top) }],
    }],
  };
}

/** The error thrown for `assert false`, `connect_err`, `failwith`. */
export function failure(ctx: Ctx, e: Expr, scope: Scope): TsExpr {
  const error = (msg: TsExpr): TsExpr => ({
    k: "new",
    callee: { k: "id", name: "Error" },
    args: [msg],
  });
  if (e.kind === "assert") {
    return error({
      k: "str",
      value: `assertion failed (${ctx.file}:${e.pos.line}:${e.pos.col})`,
    });
  }
  const app = e as Extract<Expr, { kind: "app" }>;
  const name = (app.fn as { name: string }).name;
  if (name === "connect_err") {
    const positional = app.args.filter((a) => !a.label);
    const who = positional[0] && ctx.value(positional[0].expr, scope, false);
    const n = positional[1]?.expr;
    const max = app.args.find((a) => a.label === "max")?.expr;
    if (!who || n?.kind !== "int") ctx.fail(app.pos, "connect_err takes a name and a count");
    const count = Number(n.text);
    const range = max?.kind === "int"
      ? `between ${count} and ${max.text} arguments`
      : `exactly ${count} argument${count === 1 ? "" : "s"}`;
    const text = ` connect expects ${range}`;
    if (who.k === "str") return error({ k: "str", value: `The ${who.value}${text}` });
    return error({ k: "template", parts: ["The ", who, text] });
  }
  const args = app.args.filter((a) => !a.label);
  if (name === "failwith" || name === "invalid_arg") {
    return error(ctx.value(args[0].expr, scope, false));
  }
  return error(format(ctx, args.map((a) => a.expr), scope, app.pos));
}

/** Whether an expression only fails (`assert false`, `connect_err`, `failwith`). */
export function fails(e: Expr): boolean {
  if (e.kind === "assert") return e.expr.kind === "bool" && !e.expr.value;
  if (e.kind === "app" && e.fn.kind === "ident") {
    const n = [...e.fn.path, e.fn.name].join(".");
    return ["connect_err", "failwith", "invalid_arg", "Fmt.failwith", "Misc.connect_err"]
      .includes(n);
  }
  return false;
}

/** `Runtime_arg.v`, `Key.v`, `Key.abstract`: the identity in config.ts, where lists are untyped. */
export function isIdentity(e: Expr): boolean {
  if (e.kind !== "ident") return false;
  const name = [...e.path.filter((p) => p !== "Mirage"), e.name].join(".");
  return ["Runtime_arg.v", "Key.v", "Key.abstract"].includes(name);
}

/** `x === undefined ? ifUndefined : otherwise`. */
export function isUndefinedTest(x: TsExpr, ifUndefined: TsExpr, otherwise: TsExpr): TsExpr {
  return {
    k: "cond",
    test: { k: "bin", op: "===", left: x, right: { k: "undef" } },
    then: ifUndefined,
    else: otherwise,
  };
}
