/**
 * Build options that shape every later build, remembered in the saved context until
 * overridden: `--offline`, `--duniverse` and the tender options of `unik run`. A `unik run`
 * after `unik build --offline --duniverse DIR` builds offline from DIR too.
 * @module
 */

import { configError, usageError } from "../errors.ts";
import { replaceFile } from "../write.ts";
import {
  mergeTenderOptions,
  showTenderOptions,
  type TenderOptions,
  validTenderOptions,
} from "./tender_options.ts";

/** What the saved context remembers of earlier builds and runs. */
export interface RememberedBuild {
  /** Build without opam (`--offline`). */
  readonly offline?: boolean;
  /** The local duniverse (`--duniverse`), absolute. */
  readonly duniverse?: string;
  /** The tender options of `unik run`. */
  readonly tender?: TenderOptions;
}

/** The build options given on a command line. */
export interface GivenBuild {
  /** `--offline`. */
  readonly offline?: boolean;
  /** `--no-offline`: run the opam steps again, forgetting `--offline` and `--duniverse`. */
  readonly noOffline?: boolean;
  /** `--duniverse DIR`, absolute. */
  readonly duniverse?: string;
  /** Tender options. */
  readonly tender?: TenderOptions;
}

/** The options in effect: the command line's on top of the remembered ones. */
export function effectiveBuild(
  saved: RememberedBuild | undefined,
  given: GivenBuild,
): RememberedBuild {
  if (given.offline && given.noOffline) {
    throw usageError("--offline and --no-offline exclude each other");
  }
  const base = given.noOffline ? { tender: saved?.tender } : saved ?? {};
  const tender = given.tender ? mergeTenderOptions(base.tender ?? {}, given.tender) : base.tender;
  const offline = given.offline || (!given.noOffline && base.offline === true);
  const duniverse = given.duniverse ?? base.duniverse;
  return {
    ...(offline ? { offline } : {}),
    ...(duniverse !== undefined ? { duniverse } : {}),
    ...(tender && showTenderOptions(tender).length ? { tender } : {}),
  };
}

/** The remembered options as command-line arguments (describe, messages). */
export function showRemembered(r: RememberedBuild | undefined): string[] {
  if (!r) return [];
  return [
    ...(r.offline ? ["--offline"] : []),
    ...(r.duniverse !== undefined ? [`--duniverse=${r.duniverse}`] : []),
    ...(r.tender ? showTenderOptions(r.tender) : []),
  ];
}

/** Whether two sets of remembered options are the same. */
export function sameRemembered(
  a: RememberedBuild | undefined,
  b: RememberedBuild | undefined,
): boolean {
  return showRemembered(a).join("\n") === showRemembered(b).join("\n");
}

/** Checks remembered options read from the context file at `path`. */
export function validRemembered(data: unknown, path: string): RememberedBuild {
  const fail = (what: string) =>
    configError(`${path}: the remembered build option ${what}`, {
      hint: "give the option again on the command line, or remove the file (unik clean)",
    });
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw fail("record is not an object");
  }
  const d = data as Record<string, unknown>;
  for (const k of Object.keys(d)) {
    if (!["offline", "duniverse", "tender"].includes(k)) throw fail(`${k} is unknown`);
  }
  if (d.offline !== undefined && typeof d.offline !== "boolean") {
    throw fail(`offline (${JSON.stringify(d.offline)}) is not a boolean`);
  }
  if (d.duniverse !== undefined && (typeof d.duniverse !== "string" || d.duniverse === "")) {
    throw fail(`duniverse (${JSON.stringify(d.duniverse)}) is not a directory path`);
  }
  let tender: TenderOptions | undefined;
  if (d.tender !== undefined) {
    try {
      tender = validTenderOptions(d.tender, path);
    } catch (e) {
      throw configError((e as Error).message, {
        hint: "give the option again on the command line, or remove the file (unik clean)",
      });
    }
  }
  return {
    ...(d.offline !== undefined ? { offline: d.offline as boolean } : {}),
    ...(d.duniverse !== undefined ? { duniverse: d.duniverse as string } : {}),
    ...(tender ? { tender } : {}),
  };
}

/**
 * Records `remembered` in the context file at `path` (written by configure just before),
 * keeping everything else it says.
 */
export async function saveRemembered(path: string, remembered: RememberedBuild): Promise<void> {
  const context = JSON.parse(await Deno.readTextFile(path));
  const { build: _old, ...rest } = context;
  const next = showRemembered(remembered).length ? { ...rest, build: remembered } : rest;
  await replaceFile(path, JSON.stringify(next, null, 2) + "\n");
}
