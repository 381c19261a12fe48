/**
 * Where things are: the project root (the current directory, dune's root), the config file,
 * the build directory and the saved context.
 * @module
 */

import { isAbsolute, join, normalize, relative, resolve } from "node:path";
import { usageError } from "../errors.ts";

/** The lock of the plugins config.ts imports by URL, in the project root. */
export const LOCK_FILE = "unik.lock";

/** The default config file name. */
export const DEFAULT_CONFIG = "config.ts";

/** Resolved locations of a project. */
export interface ProjectPaths {
  /** Absolute project root. */
  readonly root: string;
  /** The config file relative to the root (`config.ts`, `app/config.ts`). */
  readonly configFile: string;
  /** The config file, absolute. */
  readonly configPath: string;
  /** The build directory relative to the root, `""` or with a trailing slash. */
  readonly buildDir: string;
  /** The context file, absolute. */
  readonly contextPath: string;
  /** Whether the context file was named explicitly (`--context-file`). */
  readonly explicitContext: boolean;
}

/** Locates a project from the current directory and the `-f`/`--context-file` options. */
export function projectPaths(
  cwd: string,
  file: string | undefined,
  contextFile: string | undefined,
): ProjectPaths {
  const root = resolve(cwd);
  const configPath = resolve(root, file ?? DEFAULT_CONFIG);
  const configFile = relative(root, configPath);
  if (configFile.startsWith("..") || isAbsolute(configFile)) {
    throw usageError(`the config file ${file} is outside the project directory ${root}`, {
      hint: "run unik from the directory that contains the config file (or a parent of it)",
    });
  }
  const slash = configFile.lastIndexOf("/");
  const buildDir = slash < 0 ? "" : `${configFile.slice(0, slash)}/`;
  const contextPath = contextFile
    ? resolve(root, contextFile)
    : join(root, normalize(`${buildDir}mirage/context`));
  const contextRel = relative(root, contextPath);
  if (contextRel === "" || contextRel.startsWith("..") || isAbsolute(contextRel)) {
    // configure writes the context back: one outside the project would clobber a user's file.
    throw usageError(`the context file ${contextFile} is outside the project directory ${root}`, {
      hint: "name a context file inside the project (default: <build dir>/mirage/context)",
    });
  }
  return { root, configFile, configPath, buildDir, contextPath, explicitContext: !!contextFile };
}

/** Whether a file exists. */
export async function fileExists(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}
