/**
 * What a plugin must look like, checked with zod when it is loaded: dynamically imported code
 * is never type-checked, so its `meta` and every device it exports or returns are validated
 * here, and a bad field is reported with the plugin, the export and the field's path.
 * @module
 */

import { z } from "../deps/zod.ts";
import { semver } from "../deps/semver.ts";
import { Device, Impl } from "../dsl/impl.ts";
import { Key, Value } from "../dsl/key.ts";
import { RuntimeArg } from "../dsl/runtime_arg.ts";
import { TARGET_NAMES } from "../../targets/mod.ts";

/** zod issues as one line: `path: message; path: message`. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((i) => {
    const path = i.path.map((p, n) =>
      typeof p === "number" ? `[${p}]` : n === 0 ? String(p) : `.${String(p)}`
    ).join("");
    return path ? `${path}: ${i.message}` : i.message;
  }).join("; ");
}

const targetName = z.string().refine((t) => TARGET_NAMES.includes(t), {
  message: `unknown target (known: ${TARGET_NAMES.join(", ")})`,
});

/** A plugin's manifest, its exported `meta`. */
export const MetaSchema = z.strictObject({
  name: z.string().regex(
    /^[a-z0-9][a-z0-9._-]*$/,
    "expected a lower-case name of letters, digits, '.', '-' and '_'",
  ),
  version: z.string().refine((v) => semver.valid(v) !== null, "expected a semver version"),
  description: z.string().optional(),
  targets: z.array(targetName).min(1).optional(),
  unik: z.string().refine((r) => semver.validRange(r) !== null, "expected a semver range")
    .optional(),
});

/** A validated plugin manifest. */
export type Meta = z.infer<typeof MetaSchema>;

const fnValue = z.custom<(...args: never[]) => unknown>((v) => typeof v === "function", {
  message: "expected a function",
});

const TypShapeSchema: z.ZodType = z.lazy(() =>
  z.union([
    z.strictObject({ kind: z.literal("leaf"), name: z.string().min(1) }),
    z.strictObject({
      kind: z.literal("fn"),
      args: z.array(TypShapeSchema).min(1),
      result: TypShapeSchema,
    }),
  ])
);

const BoundSchema = z.object({ version: z.string().min(1), from: z.string() });

const PackageSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9_-]*[A-Za-z][A-Za-z0-9_-]*$/, "invalid opam package name"),
  scope: z.enum(["monorepo", "switch"]),
  build: z.boolean(),
  libs: z.array(z.string().min(1)),
  min: z.array(BoundSchema),
  max: z.array(BoundSchema),
  pin: z.object({ url: z.string(), version: z.string(), from: z.string() }).optional(),
  from: z.string(),
});

const ImplSchema = z.instanceof(Impl, { message: "expected a device made with impl()" });

const DeviceOptionsSchema = z.object({
  packages: z.array(PackageSchema).optional(),
  packagesV: z.instanceof(Value, { message: "expected a value(...)" }).optional(),
  localLibs: z.array(z.string().min(1)).optional(),
  keys: z.array(z.instanceof(Key, { message: "expected a key(...)" })).optional(),
  runtimeArgs: z.array(z.instanceof(RuntimeArg, { message: "expected a runtimeArg(...)" }))
    .optional(),
  extraDeps: z.array(ImplSchema).optional(),
  connect: fnValue.optional(),
  dune: fnValue.optional(),
  configure: fnValue.optional(),
  install: fnValue.optional(),
  targets: z.array(targetName).optional(),
  registersRuntimeArgs: z.boolean().optional(),
});

const DeviceSchema = z.object({
  moduleName: z.string().regex(
    /^[A-Z][A-Za-z0-9_']*(\.[A-Z][A-Za-z0-9_']*)*$/,
    "expected an OCaml module path (e.g. Acme_led.Make)",
  ),
  typ: TypShapeSchema,
  options: DeviceOptionsSchema,
});

/** The path and message of the first invalid device reachable from `root`, if any. */
export function deviceProblem(root: unknown): string | undefined {
  const top = ImplSchema.safeParse(root);
  if (!top.success) return formatIssues(top.error.issues);
  const seen = new Set<Impl<unknown>>();
  const walk = (impl: Impl<unknown>, path: string): string | undefined => {
    if (seen.has(impl)) return undefined;
    seen.add(impl);
    const shape = TypShapeSchema.safeParse(impl.typ);
    if (!shape.success) return `${path}typ: ${formatIssues(shape.error.issues)}`;
    const node = impl.node;
    const children: [Impl<unknown>, string][] = [];
    if (node.kind === "dev") {
      if (!(node.device instanceof Device)) return `${path}device: expected a device`;
      const checked = DeviceSchema.safeParse(node.device);
      if (!checked.success) return `${path}${formatIssues(checked.error.issues)}`;
      node.device.options.extraDeps?.forEach((d, i) => children.push([d, `extraDeps[${i}].`]));
      node.args.forEach((a, i) => children.push([a, `args[${i}].`]));
    } else if (node.kind === "app") {
      children.push([node.head, "head."]);
      node.args.forEach((a, i) => children.push([a, `args[${i}].`]));
    } else {
      node.branches.forEach(([, b], i) => children.push([b, `branches[${i}].`]));
      children.push([node.default, "default."]);
    }
    for (const [child, step] of children) {
      const bad = ImplSchema.safeParse(child);
      if (!bad.success) return `${path}${step.slice(0, -1)}: ${formatIssues(bad.error.issues)}`;
      const problem = walk(child, path + step);
      if (problem) return problem;
    }
    return undefined;
  };
  return walk(root as Impl<unknown>, "");
}
