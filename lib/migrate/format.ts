/**
 * Format strings (`Fmt.str`, `code ~pos`, `Printf.sprintf`) become template literals: `%s` and
 * `%d` take the next argument, `%%` is a `%`.
 * @module
 */

import type { Expr, Pos } from "./ast.ts";
import type { TsExpr } from "./emit.ts";
import type { Ctx, Scope } from "./scope.ts";

/** `Fmt.str "%s.connect %s" m x` and `code ~pos fmt ...`: a template literal. */
export function format(ctx: Ctx, args: readonly Expr[], scope: Scope, pos: Pos): TsExpr {
  const fmt = args[0];
  if (fmt?.kind !== "string") ctx.fail(pos, "the format must be a string literal");
  const parts: (string | TsExpr)[] = [];
  let text = "";
  let next = 1;
  const s = fmt.value;
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== "%") {
      text += s[i];
      continue;
    }
    const d = s[i + 1];
    i++;
    if (d === "%") {
      text += "%";
      continue;
    }
    if (d === "s" || d === "d" || d === "i" || d === "S") {
      const arg = args[next++];
      if (!arg) ctx.fail(fmt.pos, `the format has more conversions than arguments`);
      if (text) parts.push(text);
      text = "";
      const v = ctx.value(arg, scope, false);
      parts.push(
        d === "S"
          ? {
            k: "call",
            callee: { k: "member", obj: { k: "id", name: "JSON" }, name: "stringify" },
            args: [v],
          }
          : v,
      );
      continue;
    }
    if (d === "@" || d === ",") {
      // Format boxes and break hints: a break is a space.
      text += d === "@" && (s[i + 1] === " " || s[i + 1] === ",") ? "" : "";
      continue;
    }
    ctx.fail(
      fmt.pos,
      `the conversion %${d ?? ""} cannot be translated (only %s, %d and %% are)`,
    );
  }
  if (next < args.length) {
    ctx.fail(args[next].pos, "the format has fewer conversions than arguments");
  }
  if (text) parts.push(text);
  if (
    parts.length === 1 && typeof parts[0] === "string" && !fmt.quoted && !parts[0].includes("\n")
  ) {
    return { k: "str", value: parts[0] };
  }
  return { k: "template", parts };
}

// ---- keys ----
