/**
 * The opam file `mirage/<name>-<target>.opam`: the unikernel's dependencies, with the
 * monorepo/switch split opam-monorepo reads, and the `x-mirage-*` fields of mirage 4.9.
 * @module
 */

import { type Package, showPackage } from "../dsl/package.ts";

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
}

function quote(s: string): string {
  return JSON.stringify(s);
}

/** Generates the opam file (without header). */
export function generateOpam(input: OpamInput): string {
  const installs = [
    ...input.install.bin.map(([src, dst]) => `  [ "cp" "dist/${src}" "%{bin}%/${dst}" ]`),
    ...input.install.etc.map((f) => `  [ "cp" "dist/${f}" "%{etc}%" ]`),
  ];
  const switchPkgs = input.packages.filter((p) => p.scope === "switch").map((p) => quote(p.name));
  const configure = ["unik", "configure", ...input.configureArgs, "--no-extra-repo"].join(" ");
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
    `x-mirage-configure: ["sh" "-exc" ${quote(configure)}]`,
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
