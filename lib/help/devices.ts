/**
 * `unik help devices` and `unik help device NAME`: every standard device, derived from the
 * plugins themselves. The sources give each device's name, documentation, parameters and
 * options (./plugin_source.ts); the example is built by calling the constructor with arguments
 * made from its parameter types (other standard devices for `Impl<...>` parameters), and the
 * module type and targets are read from the device that call returns: the targets are those
 * for which none of the devices it adds (its arguments' excluded) refuses the target.
 * @module
 */

import { Impl } from "../dsl/impl.ts";
import { runtimeArg } from "../dsl/runtime_arg.ts";
import { showTyp } from "../dsl/typ.ts";
import { keyContext } from "../dsl/key.ts";
import { allImpls, resolveGraph } from "../graph/resolve.ts";
import { TARGET_NAMES } from "../../targets/mod.ts";
import { camel, libName, snake } from "../migrate/names.ts";
import { PLUGIN_FAMILIES } from "../sources.ts";
import {
  type DeviceSource,
  mergeSources,
  type Param,
  parsePluginSource,
  type PluginSources,
} from "./plugin_source.ts";

const PLUGINS = new URL("../../plugins/", import.meta.url);

/** A standard device as the help shows it. */
export interface DeviceHelp {
  /** What the sources say. */
  readonly source: DeviceSource;
  /** mirage's name of it (`block_of_file`), when mirage 4.9 has it. */
  readonly mirage?: string;
  /** Its module type (`block`), from the device itself. */
  readonly type: string;
  /** The targets it supports. */
  readonly targets: readonly string[];
  /** A config.ts fragment making it (imports, then `const device = ...;`). */
  readonly example: string;
}

/** An example value: what it is, how it is written, and the names it imports. */
interface Made {
  readonly value: unknown;
  readonly text: string;
  readonly imports: ReadonlyMap<string, string>;
  readonly cost: number;
}

/** Sample values of string and number parameters, by parameter name. */
const SAMPLES: Readonly<Record<string, string | number>> = {
  file: "disk.img",
  dir: "htdocs",
  name: "storage",
  device: "service",
  id: "51712",
  remote: "relativize://htdocs",
};

/** The standard plugin files' sources, parsed. */
export async function readPluginSources(): Promise<PluginSources> {
  // The family list, not a directory listing: unik run from JSR has https modules, no directory.
  const parts = await Promise.all(PLUGIN_FAMILIES.map(async (family) => {
    const text = await readSource(new URL(`${family}.ts`, PLUGINS));
    return parsePluginSource(family, text);
  }));
  return mergeSources(parts);
}

/** A source file of unik's own: from the disk (a checkout, an install, a compiled unik) or its package's URL. */
async function readSource(url: URL): Promise<string> {
  if (url.protocol === "file:") return await Deno.readTextFile(url);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot read ${url.href}: HTTP ${response.status}`);
  return await response.text();
}

/** Every standard device with its type, targets and example, in the plugins' order. */
export async function standardDevices(): Promise<DeviceHelp[]> {
  const sources = await readPluginSources();
  const modules = new Map<string, Record<string, unknown>>();
  for (const family of new Set(sources.devices.map((d) => d.family))) {
    modules.set(family, await import(new URL(`${family}.ts`, PLUGINS).href));
  }
  const maker = new ExampleMaker(sources, modules);
  return sources.devices.map((d) => {
    const made = maker.device(d, new Set());
    const impl = made?.value instanceof Impl ? made.value : undefined;
    const mirage = libName(snake(d.name))?.name === d.name ? snake(d.name) : undefined;
    return {
      source: d,
      mirage,
      type: impl ? genericTypes(d, maker) ?? showTyp(impl.typ) : typeFromResult(d.result),
      targets: impl ? ownTargets(impl, made!) : [],
      example: made ? exampleText(made) : "",
    };
  });
}

/**
 * The module types of a generic constructor (`directTcp<V extends IpKind>`), one per kind of
 * its type parameter (`tcpv4 | tcpv6 | tcpv4v6`); undefined for any other device.
 */
function genericTypes(d: DeviceSource, maker: ExampleMaker): string | undefined {
  const [name, constraint] = Object.entries(d.generics)[0] ?? [];
  if (name === undefined || Object.keys(d.generics).length !== 1) return undefined;
  const types = maker.literals(constraint, d).flatMap((kind) => {
    const made = maker.device({ ...d, generics: { [name]: `"${kind}"` } }, new Set());
    return made?.value instanceof Impl ? [showTyp(made.value.typ)] : [];
  });
  return types.length > 1 ? types.join(" | ") : undefined;
}

function typeFromResult(result: string): string {
  return /^Impl<"(\w+)">$/.exec(result)?.[1] ?? result;
}

/** The targets none of the devices `impl` adds to its arguments' refuses. */
function ownTargets(impl: Impl<unknown>, made: Made): string[] {
  const args = made.value === impl ? argumentDevices(made) : new Set<unknown>();
  return TARGET_NAMES.filter((target) => {
    try {
      const graph = resolveGraph(impl, keyContext(new Map([["target", target]])));
      return graph.nodes.every((n) =>
        args.has(n.device) || !n.device.options.targets ||
        n.device.options.targets.includes(target)
      );
    } catch {
      return false;
    }
  });
}

/** The devices of the example's `Impl` arguments (reachable whatever the keys). */
function argumentDevices(made: Made): Set<unknown> {
  const devices = new Set<unknown>();
  for (const arg of (made as MadeCall).args ?? []) {
    if (!(arg instanceof Impl)) continue;
    for (const i of allImpls(arg)) if (i.node.kind === "dev") devices.add(i.node.device);
  }
  return devices;
}

interface MadeCall extends Made {
  readonly args?: readonly unknown[];
}

function exampleText(made: Made): string {
  const byModule = new Map<string, string[]>();
  for (const [name, from] of made.imports) {
    byModule.set(from, [...(byModule.get(from) ?? []), name]);
  }
  const imports = [...byModule].sort(([a], [b]) => (a === "unik" ? -1 : b === "unik" ? 1 : 0))
    .map(([from, names]) => `import { ${names.sort().join(", ")} } from "${from}";`);
  return [...imports, `const device = ${made.text};`].join("\n");
}

/** Builds example arguments and devices, choosing the simplest standard device of each type. */
class ExampleMaker {
  readonly #byType = new Map<string, Made | undefined>();

  constructor(
    private readonly sources: PluginSources,
    private readonly modules: ReadonlyMap<string, Record<string, unknown>>,
  ) {}

  /** The device `d` made with example arguments; undefined when some argument cannot be made. */
  device(d: DeviceSource, making: Set<string>): MadeCall | undefined {
    const exported = this.modules.get(d.family)?.[d.name];
    const imports = new Map([[d.name, `unik/plugins/${d.family}.ts`]]);
    // A device constant is simpler than any constructor call (defaultNetwork over netif(...)).
    if (!d.params) return { value: exported, text: d.name, imports, cost: 0.5 };
    if (typeof exported !== "function" || making.has(d.name)) return undefined;
    const args: Made[] = [];
    for (const p of d.params) {
      if (p.optional && !/\bnull\b/.test(p.type)) break;
      const arg = this.value(p, d, new Set([...making, d.name]));
      if (!arg) return undefined;
      args.push(arg);
    }
    let value: unknown;
    try {
      value = exported(...args.map((a) => a.value));
    } catch {
      return undefined;
    }
    const all = new Map(imports);
    for (const a of args) for (const [n, f] of a.imports) all.set(n, f);
    return {
      value,
      text: `${d.name}(${args.map((a) => a.text).join(", ")})`,
      imports: all,
      cost: 1 + args.reduce((n, a) => n + a.cost, 0),
      args: args.map((a) => a.value),
    };
  }

  /** An example value of parameter (or option member) `p` of `d`. */
  value(p: Param, d: DeviceSource, making: Set<string>): Made | undefined {
    const type = p.type.trim();
    const plain = (value: unknown, text = JSON.stringify(value)): Made => ({
      value,
      text,
      imports: new Map(),
      cost: 0,
    });
    if (/\bnull\b/.test(type)) return plain(null);
    if (type === "string") return plain(String(SAMPLES[p.name] ?? p.name));
    if (type === "number") return plain(typeof SAMPLES[p.name] === "number" ? SAMPLES[p.name] : 1);
    if (type === "boolean") return plain(true);
    const arg = /^RuntimeArg<(\w+)>$/.exec(type);
    if (arg) {
      const name = `Unikernel.${snake(p.name)}`;
      return {
        value: runtimeArg(name),
        text: `runtimeArg<${arg[1]}>(${JSON.stringify(name)})`,
        imports: new Map([["runtimeArg", "unik"]]),
        cost: 0,
      };
    }
    const impl = /^Impl<(.+)>$/.exec(type);
    if (impl) {
      for (const t of this.literals(impl[1], d)) {
        const made = this.ofType(t, making);
        if (made) return made;
      }
      return undefined;
    }
    const members = this.sources.interfaces.get(type);
    if (members) {
      const fields: [string, Made][] = [];
      for (const m of members.filter((m) => !m.optional)) {
        const made = this.value(m, d, making);
        if (!made) return undefined;
        fields.push([m.name, made]);
      }
      return {
        value: Object.fromEntries(fields.map(([n, m]) => [n, m.value])),
        text: fields.length ? `{ ${fields.map(([n, m]) => `${n}: ${m.text}`).join(", ")} }` : "{}",
        imports: new Map(fields.flatMap(([, m]) => [...m.imports])),
        cost: fields.reduce((n, [, m]) => n + m.cost, 0),
      };
    }
    return undefined;
  }

  /** The module type names a type text stands for (`"ipv4"`, or `V extends IpKind`'s). */
  literals(type: string, d: DeviceSource): string[] {
    const t = type.trim();
    const literal = /^"(\w+)"$/.exec(t);
    if (literal) return [literal[1]];
    if (t in d.generics) return this.literals(d.generics[t], d);
    const alias = this.sources.aliases.get(t);
    if (alias) return alias.split("|").flatMap((part) => this.literals(part, d));
    return [];
  }

  /** The simplest device of module type `type` that supports every target, else any. */
  ofType(type: string, making: Set<string>): Made | undefined {
    if (this.#byType.has(type)) return this.#byType.get(type);
    const candidates: { made: MadeCall; portable: boolean }[] = [];
    for (const d of this.sources.devices) {
      if (
        making.has(d.name) || !this.literals(d.result.replace(/^Impl<|>$/g, ""), d).includes(type)
      ) {
        continue;
      }
      const made = this.device(d, making);
      if (!(made?.value instanceof Impl)) continue;
      candidates.push({
        made,
        portable: ownTargets(made.value, made).length === TARGET_NAMES.length,
      });
    }
    const best = candidates.sort((a, b) =>
      Number(b.portable) - Number(a.portable) || a.made.cost - b.made.cost
    )[0]?.made;
    // Remembered only when found outside any recursion, so that a cycle does not hide a type.
    if (making.size === 0 || best) this.#byType.set(type, best);
    return best;
  }
}

/** The module type as config.ts names it (`kv_ro` is `kvRo`). */
export function configTsType(type: string): string {
  return camel(type);
}
