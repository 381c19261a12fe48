/**
 * `unik plugin search|add|remove|list|describe|verify|update|allow`: find plugins in registries, record
 * their exact content in `unik.lock`, check that what their hosts serve still matches, and
 * approve a plugin's build contributions for its exact content.
 * @module
 */

import { notice } from "../cli/output.ts";
import { join } from "node:path";
import { semver } from "../deps/semver.ts";
import { pluginError } from "../errors.ts";
import type { CliIO } from "../cli/io.ts";
import { type Fetcher, fetchModule } from "../plugins/fetch.ts";
import { type Lock, type LockedPlugin, readLock, writeLock } from "../plugins/lock.ts";
import { LOCK_FILE } from "../cli/project.ts";
import { confinedFetch, pluginSources } from "../plugins/project.ts";
import { pluginImports } from "../plugins/imports.ts";
import {
  choose,
  isStandardPlugin,
  parsePluginRequest,
  readRegistries,
  registryUrls,
  type RegistryVersion,
} from "../plugins/registry.ts";
import { resolvePlugin } from "../plugins/resolve.ts";
import { sha256 } from "../digest.ts";
import {
  parseWithheldRecord,
  printable,
  showContribution,
  WITHHELD_FILE,
} from "../plugins/approval.ts";

/** What a command that changes unik.lock did (on standard output; nothing under -q). */
function say(ctx: PluginContext, text: string): void {
  notice(ctx.io, text, "out");
}
/** What every plugin subcommand needs. */
export interface PluginContext {
  /** The project root. */
  readonly root: string;
  /** Where to print, and the environment. */
  readonly io: CliIO;
  /** Registries named on the command line (searched first). */
  readonly registries?: readonly string[];
  /** Refuse to change unik.lock. */
  readonly frozen?: boolean;
  /** Downloads (tests inject failures). */
  readonly fetch?: Fetcher;
}

function refuseFrozen(ctx: PluginContext, what: string): void {
  if (ctx.frozen) {
    throw pluginError(`--frozen: refusing to ${what} (it would change ${LOCK_FILE})`);
  }
}

async function registryVersions(ctx: PluginContext): Promise<RegistryVersion[]> {
  const urls = await registryUrls(ctx.root, ctx.io.env, ctx.registries);
  return await readRegistries(urls, ctx.fetch ?? fetchModule);
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => i === r.length - 1 ? c : c.padEnd(widths[i])).join("  "))
    .join("\n") + "\n";
}

/** `unik plugin search [TERM]`: the newest version of each matching plugin. */
export async function pluginSearch(ctx: PluginContext, term: string | undefined): Promise<void> {
  const all = await registryVersions(ctx);
  const needle = (term ?? "").toLowerCase();
  const newest = new Map<string, RegistryVersion>();
  for (const v of all) {
    if (!`${v.name} ${v.description}`.toLowerCase().includes(needle)) continue;
    const seen = newest.get(v.name);
    if (!seen || (seen.registry === v.registry && semver.gt(v.version, seen.version))) {
      newest.set(v.name, v);
    }
  }
  if (newest.size === 0) {
    ctx.io.out(term ? `no plugin matches ${JSON.stringify(term)}\n` : "no plugin found\n");
    return;
  }
  const rows = [...newest.values()].sort((a, b) => a.name.localeCompare(b.name)).map((v) => [
    v.name,
    v.version,
    v.targets ? v.targets.join(",") : "all",
    v.description,
  ]);
  ctx.io.out(table([["NAME", "VERSION", "TARGETS", "DESCRIPTION"], ...rows]));
}

/** Downloads a registry version, checks it against the registry's hash and locks it. */
async function lockVersion(
  ctx: PluginContext,
  lock: Lock,
  chosen: RegistryVersion,
): Promise<{ lock: Lock; previous?: LockedPlugin }> {
  const resolved = await resolvePlugin(
    chosen.url,
    undefined,
    pluginSources(ctx.io.env, ctx.root, ctx.fetch),
  );
  if (resolved.integrity !== chosen.integrity) {
    throw pluginError(
      `plugin ${chosen.name} ${chosen.version} (${chosen.url}) does not match its registry: ` +
        `the registry says ${chosen.integrity}, the host serves ${resolved.integrity}`,
      { hint: "the plugin or the registry was tampered with; nothing was recorded" },
    );
  }
  const plugins = { ...lock.plugins };
  const previous = Object.entries(plugins).find(([, p]) => p.name === chosen.name);
  if (previous) delete plugins[previous[0]];
  plugins[chosen.url] = {
    integrity: resolved.integrity,
    modules: resolved.modules,
    name: chosen.name,
    version: chosen.version,
    registry: chosen.registry,
  };
  return { lock: { version: 1, plugins }, previous: previous?.[1] };
}

/** `unik plugin add NAME[@RANGE]`. */
export async function pluginAdd(ctx: PluginContext, request: string): Promise<void> {
  const { name, range } = parsePluginRequest(request);
  const chosen = choose(await registryVersions(ctx), name, range);
  if (isStandardPlugin(chosen.url)) {
    say(
      ctx,
      `${name} is a standard plugin, part of unik: nothing to download or lock.\n` +
        `Use it with: import { ... } from "${chosen.url}";\n`,
    );
    return;
  }
  const lock = await readLock(ctx.root);
  const current = lock.plugins[chosen.url];
  if (current && current.integrity === chosen.integrity) {
    say(ctx, `${name} ${chosen.version} is already in ${LOCK_FILE}\n`);
    return;
  }
  refuseFrozen(ctx, `add ${name}`);
  const { lock: next, previous } = await lockVersion(ctx, lock, chosen);
  await writeLock(ctx.root, next, ctx.io.fs);
  const was = previous?.version ? ` (was ${previous.version})` : "";
  say(
    ctx,
    `Added ${name} ${chosen.version}${was} to ${LOCK_FILE}: ${chosen.integrity}\n` +
      `Use it in config.ts with: import { ... } from "${chosen.url}";\n`,
  );
}

/** The lock entries named by NAME or URL (all when none is named). */
function selected(lock: Lock, names: readonly string[]): [string, LockedPlugin][] {
  const entries = Object.entries(lock.plugins);
  if (names.length === 0) return entries;
  return names.map((n) => {
    const found = entries.find(([url, p]) => url === n || p.name === n);
    if (!found) {
      throw pluginError(`${LOCK_FILE} has no plugin ${n}`, {
        hint: "see the locked plugins with: unik plugin list",
      });
    }
    return found;
  });
}

/** `unik plugin remove NAME|URL`. */
export async function pluginRemove(
  ctx: PluginContext,
  names: readonly string[],
  configSource?: { text: string; url: string },
): Promise<void> {
  if (names.length === 0) throw pluginError("name the plugin to remove (NAME or URL)");
  const lock = await readLock(ctx.root);
  const gone = selected(lock, names);
  refuseFrozen(ctx, "remove plugins");
  const plugins = { ...lock.plugins };
  for (const [url] of gone) delete plugins[url];
  await writeLock(ctx.root, { version: 1, plugins }, ctx.io.fs);
  const imported = configSource ? pluginImports(configSource.text, configSource.url) : [];
  for (const [url, p] of gone) {
    say(ctx, `Removed ${p.name ?? url} from ${LOCK_FILE}\n`);
    if (imported.includes(url)) {
      notice(
        ctx.io,
        `warning: config.ts still imports ${url}; the next configure will lock it again\n`,
      );
    }
  }
}

/** Whether a locked plugin's build contributions are approved, as `plugin list` shows it. */
function approvalState(p: LockedPlugin): string {
  if (!p.allowBuild) return "not approved";
  return p.allowBuild === p.integrity ? "approved" : "approval outdated";
}

/**
 * `unik plugin allow NAME|URL...`: approves the build contributions of locked plugins for their
 * current content, recording the integrity in unik.lock, and shows what the last configure
 * withheld from them.
 */
export async function pluginAllow(ctx: PluginContext, names: readonly string[]): Promise<void> {
  if (names.length === 0) throw pluginError("name the plugin to allow (NAME or URL)");
  const lock = await readLock(ctx.root);
  const chosen = selected(lock, names);
  refuseFrozen(ctx, "record approvals");
  const plugins = { ...lock.plugins };
  for (const [url, p] of chosen) {
    plugins[url] = { ...p, allowBuild: p.integrity };
    const label = p.name ? `${p.name} ${p.version}` : url;
    const mine = await withheldFor(ctx.root, url, p.integrity);
    say(ctx, `Allowed the build contributions of ${label} for ${p.integrity}\n`);
    say(
      ctx,
      mine.length === 0
        ? "  (the last configure withheld nothing waiting for it)\n"
        : `  The last configure withheld, waiting for it:\n${mine.map(showRecord).join("")}`,
    );
  }
  await writeLock(ctx.root, { version: 1, plugins }, ctx.io.fs);
  say(ctx, "Run unik configure (or unik build) to write them.\n");
}

/** The withheld records waiting for the approval of the plugin `url` at `integrity`. */
async function withheldFor(root: string, url: string, integrity: string) {
  const recorded = await Deno.readTextFile(join(root, WITHHELD_FILE))
    .then(parseWithheldRecord, () => []);
  return recorded.filter((r) => r.needs.some((n) => n.entry === url && n.integrity === integrity));
}

function showRecord(r: { kind: string; text: string; device: string; reason: string }): string {
  return `${printable(`  - ${r.device} (${r.reason}): ${showContribution(r)}`)}\n`;
}

/**
 * `unik plugin describe NAME|URL...`: a locked plugin's entry (version, registry, integrity,
 * modules), its build approval, and what the last configure withheld waiting for it.
 */
export async function pluginDescribe(ctx: PluginContext, names: readonly string[]): Promise<void> {
  if (names.length === 0) throw pluginError("name the plugin to describe (NAME or URL)");
  const lock = await readLock(ctx.root);
  for (const [url, p] of selected(lock, names)) {
    const lines = [
      p.name ? `${p.name} ${p.version} (${url})` : url,
      ...(p.registry ? [`  registry:  ${p.registry}`] : []),
      `  integrity: ${p.integrity}`,
      `  build:     ${approvalState(p)}${
        p.allowBuild && p.allowBuild !== p.integrity ? ` (approved for ${p.allowBuild})` : ""
      }`,
      "  modules:",
      ...Object.entries(p.modules).map(([m, sha]) => `    ${m}  ${sha}`),
    ];
    ctx.io.out(lines.join("\n") + "\n");
    const waiting = await withheldFor(ctx.root, url, p.integrity);
    if (waiting.length > 0) {
      ctx.io.out(
        "  withheld by the last configure until it is approved (unik plugin allow):\n" +
          waiting.map(showRecord).join(""),
      );
    }
  }
}

/** `unik plugin list`: the locked plugins and whether each is cached. */
export async function pluginList(ctx: PluginContext): Promise<void> {
  const lock = await readLock(ctx.root);
  const entries = Object.entries(lock.plugins);
  if (entries.length === 0) {
    ctx.io.out(`no plugin in ${LOCK_FILE}\n`);
    return;
  }
  const cache = pluginSources(ctx.io.env, ctx.root).cache;
  const rows = [];
  for (const [url, p] of entries) {
    let cached = true;
    for (const sha of Object.values(p.modules)) cached &&= (await cache.get(sha)) !== undefined;
    rows.push([
      p.name ?? "-",
      p.version ?? "-",
      cached ? "cached" : "not cached",
      approvalState(p),
      url,
    ]);
  }
  ctx.io.out(table([["NAME", "VERSION", "CACHE", "BUILD", "URL"], ...rows]));
}

/**
 * `unik plugin verify [NAME|URL...]`: downloads every locked module again and compares it with
 * the lock. Returns the number of plugins that failed.
 */
export async function pluginVerify(ctx: PluginContext, names: readonly string[]): Promise<number> {
  const lock = await readLock(ctx.root);
  const fetch = confinedFetch(ctx.root, ctx.fetch ?? fetchModule);
  let failed = 0;
  for (const [url, p] of selected(lock, names)) {
    const problems: string[] = [];
    for (const [module, sha] of Object.entries(p.modules)) {
      try {
        const got = await sha256(await fetch(module));
        if (got !== sha) problems.push(`${module} changed (sha256 ${got}, locked ${sha})`);
      } catch (e) {
        problems.push(`${module} unreachable: ${(e as Error).message}`);
      }
    }
    const label = p.name ? `${p.name} ${p.version}` : url;
    if (problems.length === 0) ctx.io.out(`ok       ${label}\n`);
    else {
      failed++;
      ctx.io.out(`FAILED   ${label}\n${problems.map((x) => `  ${x}\n`).join("")}`);
    }
  }
  return failed;
}

/**
 * `unik plugin update [NAME|URL...]`: a registry plugin moves to the newest version its registry
 * offers (for this unik); a plugin locked by URL is downloaded again and its new content locked.
 */
export async function pluginUpdate(ctx: PluginContext, names: readonly string[]): Promise<void> {
  let lock = await readLock(ctx.root);
  const targets = selected(lock, names);
  if (targets.length === 0) {
    say(ctx, `no plugin in ${LOCK_FILE}\n`);
    return;
  }
  refuseFrozen(ctx, "update plugins");
  const registry = targets.some(([, p]) => p.name) ? await registryVersions(ctx) : [];
  for (const [url, p] of targets) {
    if (p.name) {
      const chosen = choose(registry, p.name, "*");
      if (chosen.url === url && chosen.integrity === p.integrity) {
        say(ctx, `${p.name} ${p.version} is up to date\n`);
        continue;
      }
      lock = (await lockVersion(ctx, lock, chosen)).lock;
      say(ctx, `Updated ${p.name} ${p.version} -> ${chosen.version}\n`);
      continue;
    }
    const resolved = await resolvePlugin(
      url,
      undefined,
      pluginSources(ctx.io.env, ctx.root, ctx.fetch),
    );
    if (resolved.integrity === p.integrity) {
      say(ctx, `${url} is unchanged\n`);
      continue;
    }
    lock = {
      version: 1,
      plugins: {
        ...lock.plugins,
        [url]: { integrity: resolved.integrity, modules: resolved.modules },
      },
    };
    say(ctx, `Updated ${url}: ${p.integrity} -> ${resolved.integrity}\n`);
  }
  await writeLock(ctx.root, lock, ctx.io.fs);
}
