/**
 * The help topics that are no command: `unik help devices`, `unik help device NAME` and
 * `unik help targets`. Loaded only for them.
 * @module
 */

import { usageError } from "../errors.ts";
import { configTsType, type DeviceHelp, standardDevices } from "./devices.ts";
import { targetsHelp } from "./targets.ts";
import { TARGET_NAMES } from "../../targets/mod.ts";
import { didYouMean } from "../cli/suggest.ts";
import type { Param } from "./plugin_source.ts";
import { readPluginSources } from "./devices.ts";

/** The text of help topic `topic` (`devices`, `device`, `targets`), given what follows it. */
export async function helpTopic(topic: string, rest: readonly string[]): Promise<string> {
  if (topic === "targets") return targetsHelp();
  const devices = await standardDevices();
  if (topic === "devices") return devicesHelp(devices);
  const name = rest[0];
  if (name === undefined) {
    throw usageError("'unik help device' needs a device name", {
      hint:
        "'unik help devices' lists them (config.ts or mirage names: blockOfFile, block_of_file)",
    });
  }
  const found = devices.find((d) => d.source.name === name || d.mirage === name);
  if (!found) {
    const names = devices.flatMap((d) => [d.source.name, ...(d.mirage ? [d.mirage] : [])]);
    throw usageError(`no standard device is named '${name}'${didYouMean(name, names)}`, {
      hint: "'unik help devices' lists them",
    });
  }
  return await deviceHelp(found);
}

function targetsShown(targets: readonly string[]): string {
  if (targets.length === TARGET_NAMES.length) return "all";
  return targets.length === 0 ? "none" : targets.join(",");
}

/** The table of `unik help devices`. */
function devicesHelp(devices: readonly DeviceHelp[]): string {
  const rows = [
    ["CONFIG.TS", "MIRAGE", "MODULE TYPE", "PLUGIN", "TARGETS"],
    ...devices.map((d) => [
      d.source.name,
      d.mirage ?? "-",
      d.type,
      d.source.family,
      targetsShown(d.targets),
    ]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const lines = rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd());
  return [
    "The standard devices (import them from unik/plugins/<PLUGIN>.ts). MIRAGE is mirage 4.9's",
    "name (- for a device mirage has not); 'unik help device NAME' shows one with its options.",
    "",
    ...lines,
    "",
  ].join("\n");
}

function showParam(p: Param): string {
  return `${p.name}${p.optional ? "?" : ""}: ${p.type}`;
}

/** The text of `unik help device NAME`. */
async function deviceHelp(d: DeviceHelp): Promise<string> {
  const { interfaces } = await readPluginSources();
  const params = d.source.params;
  const options = (params ?? []).flatMap((p) => {
    const members = interfaces.get(p.type);
    return members ? members.map((m) => ({ ...m, of: p.name })) : [];
  });
  const typeNames = configTsType(d.type) === d.type
    ? d.type
    : `${d.type} (config.ts: ${configTsType(d.type)})`;
  const lines = [
    `${d.source.name}${
      d.mirage ? ` (mirage: ${d.mirage})` : ""
    }, from unik/plugins/${d.source.family}.ts`,
    `  ${d.source.doc}`,
    "",
    `Module type  ${typeNames}`,
    `Targets      ${targetsShown(d.targets) === "all" ? "all" : d.targets.join(", ")}`,
    `Arguments    ${
      params
        ? (params.length ? params.map(showParam).join(", ") : "none")
        : "none (a device, not a constructor)"
    }`,
  ];
  if (options.length > 0) {
    const width = Math.max(
      ...options.map((o) => `${o.name}${o.optional ? "?" : ""}: ${o.type}`.length),
    );
    lines.push("Options");
    for (const o of options) {
      const head = `${o.name}${o.optional ? "?" : ""}: ${o.type}`;
      lines.push(`  ${head.padEnd(width)}  ${o.doc}`.trimEnd());
    }
  }
  if (d.example) lines.push("Example", ...d.example.split("\n").map((l) => `  ${l}`));
  return `${lines.join("\n")}\n`;
}
