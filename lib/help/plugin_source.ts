/**
 * What the standard plugins' own sources say about their devices: each exported device (a
 * function returning `Impl<...>`, or a constant of type `Impl<...>`) with its JSDoc, its
 * parameters and the options interfaces and type aliases they name. `unik help devices` is
 * derived from this, so that it cannot drift from the plugins (a new device appears in it by
 * being exported). A reader of unik's own, formatted sources, not a TypeScript parser.
 * @module
 */

/** A parameter of a device constructor. */
export interface Param {
  /** Its name. */
  readonly name: string;
  /** Its type, as written. */
  readonly type: string;
  /** Whether it may be left out (`?` or a default value). */
  readonly optional: boolean;
}

/** A member of an options interface. */
export interface Member {
  /** Its name. */
  readonly name: string;
  /** Its type, as written. */
  readonly type: string;
  /** Whether it may be left out. */
  readonly optional: boolean;
  /** Its JSDoc, on one line. */
  readonly doc: string;
}

/** A device exported by a plugin file. */
export interface DeviceSource {
  /** The export's name (config.ts's name of the device). */
  readonly name: string;
  /** The plugin family (the file's name without `.ts`). */
  readonly family: string;
  /** Its JSDoc, on one line. */
  readonly doc: string;
  /** The constructor's parameters; undefined for a device constant. */
  readonly params?: readonly Param[];
  /** The constructor's type parameters and their constraints (`V` → `IpKind`). */
  readonly generics: Readonly<Record<string, string>>;
  /** The declared result type (`Impl<"block">`). */
  readonly result: string;
}

/** Every device, interface and type alias of a set of plugin files. */
export interface PluginSources {
  /** The devices, in file then declaration order. */
  readonly devices: readonly DeviceSource[];
  /** Exported interfaces by name: their members (those of what they extend included). */
  readonly interfaces: ReadonlyMap<string, readonly Member[]>;
  /** Exported type aliases by name: their text. */
  readonly aliases: ReadonlyMap<string, string>;
}

/** A JSDoc comment's text on one line, without `@` tags. */
function docText(comment: string): string {
  return comment
    .replace(/^\/\*\*|\*\/$/g, "")
    .split("\n")
    .map((l) => l.replace(/^\s*\* ?/, "").trim())
    .filter((l) => !l.startsWith("@"))
    .join(" ")
    .replace(/\{@link\s+([^}\s]+)[^}]*\}/g, "$1")
    .replace(/\s+/g, " ")
    .trim();
}

/** Splits `text` at the commas that are not nested in brackets. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if ("([{<".includes(c)) depth++;
    else if (")]}".includes(c) || (c === ">" && text[i - 1] !== "=")) depth--;
    else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

/** The index just after the bracket that closes the one opening at `open`. */
function closing(text: string, open: number): number {
  const pairs: Record<string, string> = { "(": ")", "<": ">", "{": "}" };
  const want = pairs[text[open]];
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === text[open]) depth++;
    else if (text[i] === want && !(want === ">" && text[i - 1] === "=")) {
      if (--depth === 0) return i + 1;
    }
  }
  return text.length;
}

function param(text: string): Param {
  const m = /^(\w+)(\?)?\s*:\s*([^]*?)(?:\s*=\s*[^]*)?$/.exec(text);
  if (!m) return { name: text, type: "unknown", optional: true };
  return { name: m[1], type: m[3].trim(), optional: m[2] === "?" || /=/.test(text) };
}

const DOC_BEFORE = String.raw`(\/\*\*(?:(?!\*\/)[^])*\*\/)\s*`;

/** The devices, interfaces and aliases of one plugin file's source. */
export function parsePluginSource(family: string, source: string): PluginSources {
  const devices: DeviceSource[] = [];
  const fnRe = new RegExp(`${DOC_BEFORE}export function (\\w+)`, "g");
  for (const m of source.matchAll(fnRe)) {
    let at = m.index! + m[0].length;
    const generics: Record<string, string> = {};
    if (source[at] === "<") {
      const end = closing(source, at);
      for (const g of splitTopLevel(source.slice(at + 1, end - 1))) {
        const [name, constraint] = g.split(/\s+extends\s+/);
        generics[name.trim()] = (constraint ?? "unknown").trim();
      }
      at = end;
    }
    const end = closing(source, at);
    const params = splitTopLevel(source.slice(at + 1, end - 1)).map(param);
    const result = /^\s*:\s*([^{]*?)\s*\{/.exec(source.slice(end))?.[1] ?? "";
    if (!result.startsWith("Impl<")) continue;
    devices.push({ name: m[2], family, doc: docText(m[1]), params, generics, result });
  }
  const constRe = new RegExp(`${DOC_BEFORE}export const (\\w+): (Impl<[^=]*>) =`, "g");
  for (const m of source.matchAll(constRe)) {
    devices.push({ name: m[2], family, doc: docText(m[1]), generics: {}, result: m[3] });
  }
  const at = (name: string) => source.search(new RegExp(`export (function|const) ${name}\\b`));
  devices.sort((a, b) => at(a.name) - at(b.name));

  const interfaces = new Map<string, Member[]>();
  const extendsOf = new Map<string, string[]>();
  for (const m of source.matchAll(/export interface (\w+)(?:<[^>]*>)?(?: extends ([^{]+))? \{/g)) {
    const open = m.index! + m[0].length - 1;
    const body = source.slice(open + 1, closing(source, open) - 1);
    const members: Member[] = [];
    const memberRe = new RegExp(`(?:${DOC_BEFORE})?(?:readonly )?(\\w+)(\\?)?: ([^;]+);`, "g");
    for (const mm of body.matchAll(memberRe)) {
      members.push({
        name: mm[2],
        type: mm[4].replace(/\s+/g, " ").trim(),
        optional: mm[3] === "?",
        doc: mm[1] ? docText(mm[1]) : "",
      });
    }
    interfaces.set(m[1], members);
    if (m[2]) extendsOf.set(m[1], splitTopLevel(m[2]).map((e) => e.replace(/<.*$/, "")));
  }
  const aliases = new Map<string, string>();
  for (const m of source.matchAll(/export type (\w+)(?:<[^>]*>)? =\s*([^;]+);/g)) {
    aliases.set(m[1], m[2].replace(/\s+/g, " ").trim());
  }
  return { devices, interfaces: withExtends(interfaces, extendsOf), aliases };
}

function withExtends(
  own: ReadonlyMap<string, readonly Member[]>,
  extendsOf: ReadonlyMap<string, readonly string[]>,
): Map<string, readonly Member[]> {
  const all = new Map<string, readonly Member[]>();
  const membersOf = (name: string, seen: Set<string>): readonly Member[] => {
    if (seen.has(name)) return [];
    seen.add(name);
    const inherited = (extendsOf.get(name) ?? []).flatMap((p) => membersOf(p, seen));
    return [...inherited, ...(own.get(name) ?? [])];
  };
  for (const name of own.keys()) all.set(name, membersOf(name, new Set()));
  return all;
}

/** The sources of several files as one (interfaces and aliases may be used across files). */
export function mergeSources(parts: readonly PluginSources[]): PluginSources {
  return {
    devices: parts.flatMap((p) => p.devices),
    interfaces: new Map(parts.flatMap((p) => [...p.interfaces])),
    aliases: new Map(parts.flatMap((p) => [...p.aliases])),
  };
}
