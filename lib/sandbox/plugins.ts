/**
 * Loading verified plugins inside the sandbox. The worker may not import anything by URL, so
 * each plugin module becomes a blob URL made from the text unik verified, with its imports
 * pointing at the blobs of its dependencies; config.ts is loaded the same way, its plugin URLs
 * pointing at facades that re-export the plugin's validated, guarded exports.
 * @module
 */

import { semver } from "../deps/semver.ts";
import { pluginError, UnikError } from "../errors.ts";
import { Impl } from "../dsl/impl.ts";
import { Key } from "../dsl/key.ts";
import { aliasUrl } from "../dsl/pos.ts";
import {
  isBuiltinSpecifier,
  isRelativeSpecifier,
  isUrlSpecifier,
  rewriteImports,
  scanImports,
} from "../plugins/imports.ts";
import { deviceProblem, formatIssues, MetaSchema } from "../plugins/schema.ts";
import { setPluginExports } from "../plugins/exports.ts";
import { UNIK_VERSION } from "../version.ts";
import type { PluginBundle } from "./protocol.ts";
import { type LoadedPlugin, owners, pluginLabel } from "./plugin_owners.ts";

const EXPORTS_MODULE = new URL("../plugins/exports.ts", import.meta.url).href;

function blobOf(source: string): string {
  return URL.createObjectURL(new Blob([source], { type: "application/typescript" }));
}

function resolveIn(url: string, specifier: string): string {
  const u = new URL(specifier, url);
  u.hash = "";
  return u.href;
}

/** Turns the modules of a bundle into blob URLs, dependencies first. */
function moduleBlobs(bundle: PluginBundle): Map<string, string> {
  const blobs = new Map<string, string>();
  const make = (url: string): string => {
    const done = blobs.get(url);
    if (done) return done;
    const source = bundle.sources[url];
    if (source === undefined) {
      throw pluginError(`plugin ${bundle.entry}: module ${url} was not verified`);
    }
    const rewritten = rewriteImports(source, scanImports(source), (s) => {
      if (isBuiltinSpecifier(s)) return undefined;
      if (isUrlSpecifier(s) || isRelativeSpecifier(s)) return make(resolveIn(url, s));
      return undefined;
    });
    const blob = blobOf(rewritten);
    aliasUrl(blob, url);
    owners.set(url, { entry: bundle.entry });
    blobs.set(url, blob);
    return blob;
  };
  make(bundle.entry);
  return blobs;
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function isTyp(value: unknown): boolean {
  return typeof value === "object" && value !== null && "shape" in value &&
    Object.keys(value).every((k) => k === "shape" || k === "_phantom");
}

/** The export as config.ts will see it: devices validated, constructors guarded. */
function guardExport(label: string, name: string, value: unknown): unknown {
  if (typeof value === "function") {
    const constructor = value as (...args: unknown[]) => unknown;
    const guarded = function (this: unknown, ...args: unknown[]) {
      const result = constructor.apply(this, args);
      const problem = deviceProblem(result);
      if (problem) {
        throw pluginError(`${label}: export ${name} returned an invalid device: ${problem}`, {
          hint: "the plugin is broken: report it to its author, or pin an earlier version",
        });
      }
      return result;
    };
    Object.defineProperty(guarded, "name", { value: name });
    return guarded;
  }
  if (value instanceof Impl) {
    const problem = deviceProblem(value);
    if (problem) throw pluginError(`${label}: export ${name} is an invalid device: ${problem}`);
    return value;
  }
  if (value instanceof Key || isTyp(value)) return value;
  throw pluginError(
    `${label}: export ${name} is ${kindOf(value)}; a plugin exports meta, devices, ` +
      "device constructors, module types and keys",
    { hint: "the plugin is malformed: report it to its author" },
  );
}

function facadeSource(entry: string, names: readonly string[]): string {
  const lines = [
    `import { pluginExports } from ${JSON.stringify(EXPORTS_MODULE)};`,
    `const g = pluginExports(${JSON.stringify(entry)});`,
  ];
  for (const name of names) {
    if (name === "default") lines.push(`export default g["default"];`);
    else lines.push(`export const ${name} = g[${JSON.stringify(name)}];`);
  }
  return lines.join("\n") + "\n";
}

/** Loads one verified plugin; returns the URL of the facade config.ts imports instead. */
async function loadPlugin(bundle: PluginBundle): Promise<{ facade: string; plugin: LoadedPlugin }> {
  const blobs = moduleBlobs(bundle);
  const ns = await import(blobs.get(bundle.entry)!) as Record<string, unknown>;
  if (!("meta" in ns)) {
    throw pluginError(`plugin ${bundle.entry} exports no meta`, {
      hint: "a plugin exports `meta = { name, version, description, targets, unik }`",
    });
  }
  const meta = MetaSchema.safeParse(ns.meta);
  if (!meta.success) {
    throw pluginError(
      `plugin ${bundle.entry}: export meta is invalid: ${formatIssues(meta.error.issues)}`,
      { hint: "the plugin is malformed: report it to its author" },
    );
  }
  const plugin = { entry: bundle.entry, meta: meta.data };
  for (const url of blobs.keys()) owners.set(url, plugin);
  const label = pluginLabel(plugin);
  if (plugin.meta.unik && !semver.satisfies(UNIK_VERSION, plugin.meta.unik)) {
    throw pluginError(
      `${label} requires unik ${plugin.meta.unik}; this is unik ${UNIK_VERSION}`,
      { hint: "use a version of the plugin made for this unik, or another unik" },
    );
  }
  const names = Object.keys(ns).filter((n) => n !== "meta");
  const guarded: Record<string, unknown> = { meta: plugin.meta };
  for (const name of names) {
    if (name !== "default" && !/^[A-Za-z_$][\w$]*$/.test(name)) {
      throw pluginError(`${label}: export name ${JSON.stringify(name)} is not an identifier`);
    }
    guarded[name] = guardExport(label, name, ns[name]);
  }
  setPluginExports(bundle.entry, guarded);
  return { facade: blobOf(facadeSource(bundle.entry, ["meta", ...names])), plugin };
}

/**
 * Loads the plugins and then config.ts with its plugin imports pointing at them; returns the
 * config's module and the plugins.
 */
export async function importWithPlugins(
  configUrl: string,
  bundles: readonly PluginBundle[],
): Promise<{ module: Record<string, unknown>; plugins: LoadedPlugin[] }> {
  const facades = new Map<string, string>();
  const plugins: LoadedPlugin[] = [];
  for (const bundle of bundles) {
    const { facade, plugin } = await loadPlugin(bundle);
    facades.set(bundle.entry, facade);
    plugins.push(plugin);
  }
  const source = await Deno.readTextFile(new URL(configUrl));
  const rewritten = rewriteImports(source, scanImports(source), (s) => {
    if (isUrlSpecifier(s)) {
      const facade = facades.get(resolveIn(configUrl, s));
      if (!facade) throw new UnikError("internal", `plugin ${s} was not resolved`);
      return facade;
    }
    return isRelativeSpecifier(s) ? resolveIn(configUrl, s) : undefined;
  });
  const blob = blobOf(rewritten);
  aliasUrl(blob, configUrl);
  return { module: await import(blob), plugins };
}
