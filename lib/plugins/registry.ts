/**
 * Plugin registries: YAML index files listing plugins, their versions, module URLs, the sha256
 * of each version's module graph, supported targets and the unik versions they work with.
 * A project lists its registries in `unik.yaml`, a user in `~/.config/unik/config.yaml`; the
 * default registry ships with unik and lists the standard plugins.
 * @module
 */

import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { semver } from "../deps/semver.ts";
import { YAML } from "../deps/yaml.ts";
import { z } from "../deps/zod.ts";
import { pluginError } from "../errors.ts";
import { configHome, type Env } from "../cache_dir.ts";
import { UNIK_VERSION } from "../version.ts";
import type { Fetcher } from "./fetch.ts";
import { normaliseIntegrity } from "./hash.ts";
import { formatIssues, MetaSchema } from "./schema.ts";

/** The registry that ships with unik: the standard plugins. */
export const DEFAULT_REGISTRY: string = new URL("../../registry/index.yaml", import.meta.url).href;

/** The project file that lists registries. */
export const PROJECT_CONFIG = "unik.yaml";

const VersionSchema = z.strictObject({
  version: MetaSchema.shape.version,
  url: z.string().min(1),
  sha256: z.string().regex(/^(sha256-)?[0-9a-f]{64}$/, "expected a hex sha256").optional(),
  targets: MetaSchema.shape.targets,
  unik: MetaSchema.shape.unik,
  description: z.string().optional(),
});

const RegistrySchema = z.strictObject({
  registry: z.literal(1),
  name: z.string().optional(),
  description: z.string().optional(),
  plugins: z.array(z.strictObject({
    name: MetaSchema.shape.name,
    description: z.string().optional(),
    versions: z.array(VersionSchema).min(1),
  })),
});

/** One version of a plugin, as a registry lists it. */
export interface RegistryVersion {
  /** Plugin name. */
  readonly name: string;
  /** Its version. */
  readonly version: string;
  /** Absolute module URL, or a `unik/...` specifier for a standard plugin. */
  readonly url: string;
  /** Integrity of the module graph (`sha256-<hex>`); absent for standard plugins. */
  readonly integrity?: string;
  /** Targets it supports (all when absent). */
  readonly targets?: readonly string[];
  /** unik versions it works with (any when absent). */
  readonly unik?: string;
  /** What it is. */
  readonly description: string;
  /** The registry index URL it comes from. */
  readonly registry: string;
}

/** Whether a registry URL names a standard plugin (part of unik, nothing to download). */
export function isStandardPlugin(url: string): boolean {
  return url === "unik" || url.startsWith("unik/");
}

/**
 * Whether a registry read from `registryUrl` may list a plugin at `pluginUrl`: a remote registry
 * only http(s) plugins (never a file on the user's disk), a local one also local files.
 */
export function pluginUrlAllowed(registryUrl: string, pluginUrl: string): boolean {
  const protocol = new URL(pluginUrl).protocol;
  if (protocol === "http:" || protocol === "https:") return true;
  return protocol === "file:" && registryUrl.startsWith("file:");
}

/** Parses a registry index; `url` is where it was read from (relative module URLs resolve there). */
export function parseRegistry(text: string, url: string): RegistryVersion[] {
  let data: unknown;
  try {
    data = YAML.parse(text);
  } catch (e) {
    throw pluginError(`registry ${url} is not valid YAML: ${(e as Error).message.split("\n")[0]}`);
  }
  const parsed = RegistrySchema.safeParse(data);
  if (!parsed.success) {
    throw pluginError(`registry ${url} is malformed: ${formatIssues(parsed.error.issues)}`, {
      hint: "see the README's section on registries for the index format",
    });
  }
  return parsed.data.plugins.flatMap((p) =>
    p.versions.map((v) => {
      const standard = isStandardPlugin(v.url);
      if (!standard && !v.sha256) {
        throw pluginError(
          `registry ${url}: plugin ${p.name} ${v.version} has no sha256 for ${v.url}`,
        );
      }
      const moduleUrl = standard ? v.url : new URL(v.url, url).href;
      if (!standard && !pluginUrlAllowed(url, moduleUrl)) {
        throw pluginError(
          `registry ${url}: plugin ${p.name} ${v.version} has the URL ${moduleUrl}, which a ` +
            "registry of this origin may not list",
          {
            hint: "a registry served over http(s) lists http(s) plugins (or unik/... standard " +
              "ones); a local registry may also list local files",
          },
        );
      }
      return {
        name: p.name,
        version: v.version,
        url: moduleUrl,
        integrity: v.sha256 && normaliseIntegrity(v.sha256),
        targets: v.targets,
        unik: v.unik,
        description: v.description ?? p.description ?? "",
        registry: url,
      };
    })
  );
}

const ConfigSchema = z.strictObject({ registries: z.array(z.string().min(1)).optional() });

async function registriesIn(path: string): Promise<string[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw pluginError(`cannot read ${path}: ${(e as Error).message}`);
  }
  let data: unknown;
  try {
    data = YAML.parse(text) ?? {};
  } catch (e) {
    throw pluginError(`${path} is not valid YAML: ${(e as Error).message.split("\n")[0]}`);
  }
  const parsed = ConfigSchema.safeParse(data);
  if (!parsed.success) {
    throw pluginError(`${path} is malformed: ${formatIssues(parsed.error.issues)}`, {
      hint: "it may hold `registries:`, a list of registry index URLs or paths",
    });
  }
  const base = pathToFileURL(path).href;
  return (parsed.data.registries ?? []).map((r) => new URL(r, base).href);
}

/** The registries to search, in order: explicit ones, the project's, the user's, the default. */
export async function registryUrls(
  root: string,
  env: Env,
  explicit: readonly string[] = [],
): Promise<string[]> {
  const cwd = pathToFileURL(`${root}/`).href;
  const home = configHome(env);
  const all = [
    ...explicit.map((r) => new URL(r, cwd).href),
    ...await registriesIn(join(root, PROJECT_CONFIG)),
    ...(home ? await registriesIn(join(home, "config.yaml")) : []),
    DEFAULT_REGISTRY,
  ];
  return [...new Set(all)];
}

/** Reads every registry; an unreachable one is an error naming it. */
export async function readRegistries(
  urls: readonly string[],
  fetch: Fetcher,
): Promise<RegistryVersion[]> {
  const all: RegistryVersion[] = [];
  for (const url of urls) {
    let bytes: Uint8Array;
    try {
      bytes = await fetch(url);
    } catch (e) {
      throw pluginError(`cannot read the registry ${url}: ${(e as Error).message}`, {
        hint: `check the registry list (${PROJECT_CONFIG}, ~/.config/unik/config.yaml)`,
      });
    }
    all.push(...parseRegistry(new TextDecoder().decode(bytes), url));
  }
  return all;
}

/** Parses `NAME[@RANGE]`. */
export function parsePluginRequest(text: string): { name: string; range: string } {
  const at = text.indexOf("@", 1);
  const name = at < 0 ? text : text.slice(0, at);
  const range = at < 0 ? "*" : text.slice(at + 1);
  if (!MetaSchema.shape.name.safeParse(name).success) {
    throw pluginError(`invalid plugin name ${JSON.stringify(name)}`);
  }
  if (semver.validRange(range) === null) {
    throw pluginError(`invalid version range ${JSON.stringify(range)} for plugin ${name}`, {
      hint: "use a version (1.2.0) or a range (^1.2, >=1.0.0 <2.0.0)",
    });
  }
  return { name, range };
}

/**
 * The newest version of `name` in `range` that works with this unik, from the first registry
 * listing the plugin.
 */
export function choose(
  versions: readonly RegistryVersion[],
  name: string,
  range: string,
): RegistryVersion {
  const named = versions.filter((v) => v.name === name);
  if (named.length === 0) {
    throw pluginError(`no registry lists a plugin named ${name}`, {
      hint: "search with: unik plugin search " + name,
    });
  }
  const fromFirst = named.filter((v) => v.registry === named[0].registry);
  const inRange = fromFirst.filter((v) => semver.satisfies(v.version, range));
  if (inRange.length === 0) {
    throw pluginError(
      `plugin ${name} has no version in ${range} (available: ${
        fromFirst.map((v) => v.version).join(", ")
      })`,
    );
  }
  const usable = inRange.filter((v) => !v.unik || semver.satisfies(UNIK_VERSION, v.unik));
  if (usable.length === 0) {
    throw pluginError(
      `no version of plugin ${name} in ${range} works with unik ${UNIK_VERSION} (${
        inRange.map((v) => `${v.version} needs unik ${v.unik}`).join("; ")
      })`,
      { hint: "use a unik version the plugin supports, or ask its author for an update" },
    );
  }
  return usable.sort((a, b) => semver.rcompare(a.version, b.version))[0];
}
