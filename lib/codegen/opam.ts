/**
 * The opam file `mirage/<name>-<target>.opam`: the unikernel's dependencies, with the
 * monorepo/switch split opam-monorepo reads, and the `x-mirage-*` fields of mirage 4.9.
 * @module
 */

import { type Package, showPackage } from "../dsl/package.ts";
import {
  checkFileName,
  checkNoControl,
  checkOpamPackageName,
  checkOpamUrl,
  checkOpamVersion,
  checkProjectPath,
  checkUnikernelName,
  opamShellCommand,
  opamString,
  requireExtraRepos,
  requireField,
} from "../validate/mod.ts";

/** What the opam file is generated from. */
export interface OpamInput {
  /** The register name. */
  readonly name: string;
  /** Merged packages, sorted. */
  readonly packages: readonly Package[];
  /** Installed binaries `[src, dst]` and etc files. */
  readonly install: {
    readonly bin: readonly (readonly [string, string])[];
    readonly etc: readonly string[];
  };
  /** Path of the opam lock file relative to the project root. */
  readonly lockPath: string;
  /** The configure command line to record (without the `unik configure` words). */
  readonly configureArgs: readonly string[];
  /** Overlay repositories. */
  readonly extraRepos: readonly (readonly [string, string])[];
  /** The opam `url` source, if any. */
  readonly src?: string;
  /** The words that run unik (default `["unik"]`), e.g. an installed unik's full command. */
  readonly command?: readonly string[];
}

const quote = opamString;

/** Who asked for a package, for messages. */
function requester(from: string): string {
  return from ? ` (from ${from})` : "";
}

/**
 * Checks every field of a package against opam's grammars: the name, each bound's version
 * (naming the device that asked for it), the pin's URL and version.
 */
export function checkPackage(p: Package): void {
  requireField(`package${requester(p.from)}: name`, p.name, checkOpamPackageName);
  const field = `package ${p.name}`;
  for (const b of p.min) {
    requireField(`${field}${requester(b.from)}: min`, b.version, checkOpamVersion);
  }
  for (const b of p.max) {
    requireField(`${field}${requester(b.from)}: max`, b.version, checkOpamVersion);
  }
  if (p.pin) {
    requireField(`${field}${requester(p.pin.from)}: pin`, p.pin.url, checkOpamUrl);
    requireField(`${field}${requester(p.pin.from)}: pinVersion`, p.pin.version, checkOpamVersion);
  }
}

/** Checks installed files: sources inside dist/, destinations plain file names. */
export function checkInstall(install: OpamInput["install"]): void {
  for (const [src, dst] of install.bin) {
    requireField("install bin source", src, (s) => checkProjectPath(s, { allowDot: false }));
    requireField("install bin destination", dst, checkFileName);
  }
  for (const f of install.etc) requireField("install etc file", f, checkFileName);
}

/**
 * Every field the opam file writes, checked: nothing reaches opam (or the shell of
 * `x-mirage-configure`) unless it matches its grammar. The data may come from a sandbox a
 * hostile config controls, so this runs whatever checked it before.
 */
function checkOpamInput(input: OpamInput): void {
  requireField("unikernel name", input.name, checkUnikernelName);
  input.packages.forEach(checkPackage);
  checkInstall(input.install);
  requireField("opam lock file path", input.lockPath, checkProjectPath);
  for (const w of input.command ?? []) requireField("unik command word", w, checkNoControl);
  for (const a of input.configureArgs) requireField("configure argument", a, checkNoControl);
  requireExtraRepos(input.extraRepos);
  if (input.src !== undefined) requireField("opam url src", input.src, checkOpamUrl);
}

/** Generates the opam file (without header). */
export function generateOpam(input: OpamInput): string {
  checkOpamInput(input);
  const installs = [
    ...input.install.bin.map(([src, dst]) => `  [ "cp" "dist/${src}" "%{bin}%/${dst}" ]`),
    ...input.install.etc.map((f) => `  [ "cp" "dist/${f}" "%{etc}%" ]`),
  ];
  const switchPkgs = input.packages.filter((p) => p.scope === "switch").map((p) => quote(p.name));
  const configure = opamShellCommand([
    ...(input.command ?? ["unik"]),
    "configure",
    ...input.configureArgs,
    "--no-extra-repo",
  ]);
  const repos = input.extraRepos.length === 0
    ? "[]"
    : `[\n${input.extraRepos.map(([n, u]) => `  [${quote(n)} ${quote(u)}]`).join("\n")}\n]`;
  const pins = input.packages.filter((p) => p.pin);
  const sections = [
    [
      'opam-version: "2.0"',
      'maintainer: "dummy"',
      'authors: "dummy"',
      'homepage: "dummy"',
      'bug-reports: "dummy"',
      'dev-repo: "git://dummy"',
      `synopsis: "Unikernel ${input.name} - switch dependencies"`,
      'description: """',
      "It assumes that local dependencies are already",
      "fetched.",
      '"""',
    ].join("\n"),
    'build: [make "build"]',
    `install: [\n${installs.join("\n")}${installs.length ? "\n" : ""}]`,
    `depends: [\n${input.packages.map((p) => `  ${showPackage(p)}`).join("\n")}\n]`,
    `x-mirage-opam-lock-location: ${quote(input.lockPath)}`,
    `x-mirage-configure: ["sh" "-exc" ${configure}]`,
    'x-mirage-pre-build: [make "lock" "depext-lockfile" "pull"]',
    `x-mirage-extra-repo: ${repos}`,
    `x-opam-monorepo-opam-provided: [${switchPkgs.join(" ")}]`,
    ...(input.src ? [`url { src: ${quote(input.src)} }`] : []),
    ...(pins.length
      ? [
        `pin-depends: [\n${
          pins.map((p) => `  [${quote(`${p.name}.${p.pin!.version}`)} ${quote(p.pin!.url)}]`)
            .join("\n")
        }\n]`,
      ]
      : []),
  ];
  return sections.join("\n\n") + "\n";
}
