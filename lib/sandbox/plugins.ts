/**
 * Loading verified plugins inside the sandbox. The worker may not import anything by URL, so
 * each plugin module becomes a blob URL made from the text unik verified, with its imports
 * pointing at the blobs of its dependencies and at unik's own modules (see resolve.ts);
 * config.ts's plugin URLs then point at facades that re-export the plugin's validated, guarded
 * exports. Every function of a plugin's devices runs as that plugin's code (see phase.ts).
 * @module
 */

import { semver } from "../deps/semver.ts";
import { pluginError } from "../errors.ts";
import { type Device, Impl, lastDeviceId } from "../dsl/impl.ts";
import { Key } from "../dsl/key.ts";
import { aliasUrl } from "../dsl/pos.ts";
import { rewriteImports } from "../plugins/imports.ts";
import { deviceProblem, formatIssues, MetaSchema } from "../plugins/schema.ts";
import { setPluginExports } from "../plugins/exports.ts";
import { UNIK_VERSION } from "../version.ts";
import type { PluginBundle } from "./protocol.ts";
import { type LoadedPlugin, owners, pluginLabel } from "./plugin_owners.ts";
import { importSites, isRelative, resolveIn, unikModule, withModuleUrl } from "./resolve.ts";
import { asPlugin, enterPhase } from "./phase.ts";

const EXPORTS_MODULE = new URL("../plugins/exports.ts", import.meta.url).href;

function blobOf(source: string): string {
  return URL.createObjectURL(new Blob([source], { type: "application/typescript" }));
}

/** Turns the modules of a bundle into blob URLs, dependencies first. */
function moduleBlobs(bundle: PluginBundle): Map<string, string> {
  const blobs = new Map<string, string>();
  const making = new Set<string>();
  const make = (url: string): string => {
    const done = blobs.get(url);
    if (done) return done;
    const source = bundle.sources[url];
    if (source === undefined) {
      throw pluginError(`plugin ${bundle.entry}: module ${url} was not verified`);
    }
    if (making.has(url)) {
      throw pluginError(`plugin ${bundle.entry}: module ${url} is part of an import cycle`, {
        hint: "the sandbox loads plugin modules without cycles: report it to its author",
      });
    }
    making.add(url);
    const sites = importSites(source);
    const rewritten = rewriteImports(source, sites, (s) => {
      const unik = unikModule(s);
      if (unik) return unik;
      if (s.startsWith("node:")) return undefined;
      if (/^(https?|file):/.test(s) || isRelative(s)) {
        // Only modules unik fetched and verified for this plugin (lib/plugins/ decides which).
        const target = resolveIn(url, s);
        if (Object.hasOwn(bundle.sources, target)) return make(target);
      }
      const line = sites.find((site) => site.specifier === s)?.line ?? 1;
      throw pluginError(
        `plugin ${bundle.entry}: ${url}:${line}: import ${JSON.stringify(s)} is not allowed`,
        {
          hint: "a plugin may import unik, unik/..., node: built-ins and http(s) modules " +
            "that unik verified",
        },
      );
    });
    const blob = blobOf(withModuleUrl(rewritten, url));
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
function guardExport(label: string, entry: string, name: string, value: unknown): unknown {
  if (typeof value === "function") {
    const constructor = value as (...args: unknown[]) => unknown;
    const guarded = function (this: unknown, ...args: unknown[]) {
      const before = lastDeviceId();
      const result = asPlugin(entry, () => constructor.apply(this, args));
      const problem = deviceProblem(result);
      if (problem) {
        throw pluginError(`${label}: export ${name} returned an invalid device: ${problem}`, {
          hint: "the plugin is broken: report it to its author, or pin an earlier version",
        });
      }
      claimDevices(result as Impl<unknown>, entry, before);
      return result;
    };
    Object.defineProperty(guarded, "name", { value: name });
    return guarded;
  }
  if (value instanceof Impl) {
    const problem = deviceProblem(value);
    if (problem) throw pluginError(`${label}: export ${name} is an invalid device: ${problem}`);
    claimDevices(value, entry, 0);
    return value;
  }
  if (value instanceof Key || isTyp(value)) return value;
  throw pluginError(
    `${label}: export ${name} is ${kindOf(value)}; a plugin exports meta, devices, ` +
      "device constructors, module types and keys",
    { hint: "the plugin is malformed: report it to its author" },
  );
}

const HOOKS = ["connect", "dune", "configure", "install"] as const;
const claimed = new WeakSet<Device>();

/**
 * Makes the functions of the devices a plugin made (those reachable from `root` with an id
 * above `after`) run as the plugin's code, so that a plugin looping or exhausting memory in a
 * hook is named as the culprit.
 */
function claimDevices(root: Impl<unknown>, entry: string, after: number): void {
  const seen = new Set<Impl<unknown>>();
  const walk = (impl: Impl<unknown>) => {
    if (seen.has(impl)) return;
    seen.add(impl);
    const node = impl.node;
    if (node.kind === "dev") {
      const device = node.device;
      if (device.id > after && !claimed.has(device)) {
        claimed.add(device);
        const options: Record<string, unknown> = { ...device.options };
        for (const hook of HOOKS) {
          const f = options[hook];
          if (typeof f === "function") {
            options[hook] = function (this: unknown, ...args: unknown[]) {
              return asPlugin(entry, () => f.apply(this, args));
            };
          }
        }
        try {
          Object.defineProperty(device, "options", { value: options });
        } catch {
          // A device the plugin froze keeps its functions: they are then reported as config.ts's.
        }
      }
      node.args.forEach(walk);
      node.deps.forEach(walk);
    } else if (node.kind === "app") {
      walk(node.head);
      node.args.forEach(walk);
    } else {
      node.branches.forEach(([, b]) => walk(b));
      walk(node.default);
    }
  };
  walk(root);
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
  enterPhase(bundle.entry);
  const ns = await import(blobs.get(bundle.entry)!) as Record<string, unknown>;
  enterPhase(null);
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
    guarded[name] = guardExport(label, bundle.entry, name, ns[name]);
  }
  setPluginExports(bundle.entry, guarded);
  return { facade: blobOf(facadeSource(bundle.entry, ["meta", ...names])), plugin };
}

/**
 * Loads the plugins; returns them and, by entry URL, the facade modules config.ts imports
 * instead of them.
 */
export async function loadPlugins(
  bundles: readonly PluginBundle[],
): Promise<{ facades: Map<string, string>; plugins: LoadedPlugin[] }> {
  const facades = new Map<string, string>();
  const plugins: LoadedPlugin[] = [];
  for (const bundle of bundles) {
    const { facade, plugin } = await loadPlugin(bundle);
    facades.set(bundle.entry, facade);
    plugins.push(plugin);
  }
  return { facades, plugins };
}
