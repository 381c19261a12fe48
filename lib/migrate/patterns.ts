/**
 * Patterns of `match` and `function` cases: the test a value passes to match one, and the
 * consts that bind its names.
 * @module
 */

import type { Case, Expr, Pattern } from "./ast.ts";
import type { TsExpr, TsStmt } from "./emit.ts";
import { type Ctx, Scope } from "./scope.ts";

/** The test a value passes to match a pattern (undefined: always). */
export function patternTest(ctx: Ctx, pat: Pattern, s: TsExpr): TsExpr | undefined {
  const and = (tests: (TsExpr | undefined)[]): TsExpr | undefined =>
    tests.filter((t): t is TsExpr => t !== undefined).reduce<TsExpr | undefined>(
      (acc, t) => (acc ? { k: "bin", op: "&&", left: acc, right: t } : t),
      undefined,
    );
  switch (pat.kind) {
    case "any":
    case "var":
      return undefined;
    case "annot":
      return patternTest(ctx, pat.pat, s);
    case "alias":
      return patternTest(ctx, pat.pat, s);
    case "unit":
      return undefined;
    case "const":
      return {
        k: "bin",
        op: "===",
        left: s,
        right: ctx.value(pat.value, new Scope(), false),
      };
    case "variant":
      if (pat.arg) ctx.fail(pat.pos, "variant tags with arguments cannot be translated");
      return { k: "bin", op: "===", left: s, right: { k: "str", value: pat.tag.toLowerCase() } };
    case "constr":
      if (pat.name === "None") return { k: "bin", op: "===", left: s, right: { k: "undef" } };
      if (pat.name === "Some") {
        return and([
          { k: "bin", op: "!==", left: s, right: { k: "undef" } },
          pat.arg && patternTest(ctx, pat.arg, s),
        ]);
      }
      if (pat.name === "true" || pat.name === "false") {
        return { k: "bin", op: "===", left: s, right: { k: "bool", value: pat.name === "true" } };
      }
      return ctx.fail(pat.pos, `the constructor ${pat.name} cannot be matched in config.ts`);
    case "list":
      return and([
        {
          k: "bin",
          op: "===",
          left: { k: "member", obj: s, name: "length" },
          right: { k: "num", text: String(pat.items.length) },
        },
        ...pat.items.map((p, i) =>
          patternTest(ctx, p, { k: "index", obj: s, index: { k: "num", text: String(i) } })
        ),
      ]);
    case "tuple":
      return and(
        pat.items.map((p, i) =>
          patternTest(ctx, p, { k: "index", obj: s, index: { k: "num", text: String(i) } })
        ),
      );
    case "cons":
      return and([
        {
          k: "bin",
          op: ">=",
          left: { k: "member", obj: s, name: "length" },
          right: { k: "num", text: "1" },
        },
        patternTest(ctx, pat.head, { k: "index", obj: s, index: { k: "num", text: "0" } }),
      ]);
    case "or": {
      const l = patternTest(ctx, pat.left, s), r = patternTest(ctx, pat.right, s);
      if (!l || !r) return undefined;
      if (patternVars(pat).length > 0) {
        ctx.fail(pat.pos, "or-patterns binding names cannot be translated");
      }
      return { k: "bin", op: "||", left: l, right: r };
    }
  }
}

/** The consts binding the names of a pattern matched by `s`. */
export function destructure(
  ctx: Ctx,
  pat: Pattern,
  s: TsExpr,
  scope: Scope,
  taken: Set<string>,
): TsStmt[] {
  const bind = (name: string, value: TsExpr): TsStmt[] => {
    if (value.k === "id") {
      scope.set(name, { k: "value", ts: value, info: {} });
      return [];
    }
    const local = ctx.fresh(name, new Set([...taken, ...scope.tsNames()]));
    taken.add(local);
    scope.set(name, { k: "value", ts: { k: "id", name: local }, info: {} });
    return [{ k: "const", name: local, value }];
  };
  const at = (i: number): TsExpr => ({
    k: "index",
    obj: s,
    index: { k: "num", text: String(i) },
  });
  switch (pat.kind) {
    case "var":
      return bind(pat.name, s);
    case "annot":
      return destructure(ctx, pat.pat, s, scope, taken);
    case "alias":
      return [...bind(pat.name, s), ...destructure(ctx, pat.pat, s, scope, taken)];
    case "constr":
      return pat.name === "Some" && pat.arg ? destructure(ctx, pat.arg, s, scope, taken) : [];
    case "list":
    case "tuple": {
      if (pat.items.every((p) => p.kind === "var" || p.kind === "any") && s.k === "id") {
        const names = pat.items.map((p) => {
          if (p.kind !== "var") return "";
          const local = ctx.fresh(p.name, new Set([...taken, ...scope.tsNames()]));
          taken.add(local);
          scope.set(p.name, { k: "value", ts: { k: "id", name: local }, info: {} });
          return local;
        });
        while (names.length > 0 && names[names.length - 1] === "") names.pop();
        return names.length === 0 ? [] : [{ k: "const", name: names, value: s }];
      }
      return pat.items.flatMap((p, i) => destructure(ctx, p, at(i), scope, taken));
    }
    case "cons":
      return [
        ...destructure(ctx, pat.head, at(0), scope, taken),
        ...destructure(
          ctx,
          pat.tail,
          {
            k: "call",
            callee: { k: "member", obj: s, name: "slice" },
            args: [{ k: "num", text: "1" }],
          },
          scope,
          taken,
        ),
      ];
    default:
      return [];
  }
}

// ---- expressions ----

/** The single `[a; b]` case of a `function` and the case that catches the rest. */
/** The single `[a; b]` case of a `function` and the case that catches the rest, if that is its shape. */
export function singleListCase(
  cases: readonly Case[],
): { items: readonly Pattern[]; body: Expr; fallback: Expr } | undefined {
  if (cases.length !== 2) return undefined;
  const [first, second] = cases;
  if (first.guard || first.pat.kind !== "list") return undefined;
  if (!first.pat.items.every((p) => p.kind === "var" || p.kind === "any")) return undefined;
  if (second.pat.kind !== "any") return undefined;
  return { items: first.pat.items, body: first.body, fallback: second.body };
}

/** The names a pattern binds. */
export function patternVars(p: Pattern): string[] {
  switch (p.kind) {
    case "var":
      return [p.name];
    case "constr":
    case "variant":
      return p.arg ? patternVars(p.arg) : [];
    case "list":
    case "tuple":
      return p.items.flatMap(patternVars);
    case "cons":
      return [...patternVars(p.head), ...patternVars(p.tail)];
    case "or":
      return patternVars(p.left);
    case "alias":
      return [p.name, ...patternVars(p.pat)];
    case "annot":
      return patternVars(p.pat);
    default:
      return [];
  }
}
