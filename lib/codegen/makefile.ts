/**
 * The project `Makefile` of mirage 4.9: `make depend` (opam-monorepo lock, switch install,
 * pull) and `make build` (dune), extensible through `Makefile.user`.
 * @module
 */

import {
  checkOpamPackageName,
  checkProjectPath,
  makeRecipeCommand,
  requireExtraRepos,
  requireField,
} from "../validate/mod.ts";

/** What the Makefile is generated from. */
export interface MakefileInput {
  /** Build directory relative to the project root, with a trailing slash (`./`, `app/`). */
  readonly buildDir: string;
  /** The `mirage/` directory path (`./mirage`, `app/mirage`). */
  readonly mirageDir: string;
  /** The opam name of the unikernel (`noop-unix`). */
  readonly opamName: string;
  /** The artifact path below dist/ (`noop`, `noop.hvt`). */
  readonly artifact: string;
  /** Overlay repositories. */
  readonly extraRepos: readonly (readonly [string, string])[];
  /** Whether to install external (system) dependencies. */
  readonly depext: boolean;
  /** The words that run unik (default `["unik"]`), e.g. an installed unik's full command. */
  readonly command?: readonly string[];
}

/**
 * Every field the Makefile writes, checked: make expands `$` everywhere and runs recipes
 * through a shell, so each must be a plain word of its grammar (the data may come from a
 * sandbox a hostile config controls).
 */
function checkMakefileInput(input: MakefileInput): void {
  const dir = (d: string) => checkProjectPath(d.replace(/\/$/, "") || ".");
  requireField("build directory", input.buildDir, dir);
  requireField("mirage directory", input.mirageDir, dir);
  requireField("opam name", input.opamName, checkOpamPackageName);
  requireField("artifact", input.artifact, (a) => checkProjectPath(a, { allowDot: false }));
  requireExtraRepos(input.extraRepos);
}

const MONOREPO = 'env OPAMVAR_monorepo="opam-monorepo" $(OPAM) monorepo';
const LOCKFILE = "$(MIRAGE_DIR)/$(UNIKERNEL_NAME).opam.locked";

/** `repo-add` and `repo-rm`: each ends with its last recipe line's newline. */
function repoRules(repos: readonly (readonly [string, string])[]): string[] {
  const names = repos.map(([n]) => n).join(", ");
  const rule = (lines: string[]) => lines.map((l) => `${l}\n`).join("");
  return [
    rule([
      "repo-add:",
      `\t@printf "\\033[2musing overlay repository mirage: [${names}] \\033[0m\\n"`,
      ...repos.map(([n, u]) => `\t$(OPAM) repo add ${n} ${u} || $(OPAM) repo set-url ${n} ${u}`),
    ]),
    rule([
      "repo-rm:",
      `\t@printf "\\033[2mremoving overlay repository [${names}]\\033[0m\\n"`,
      ...repos.map(([n, u]) => `\t$(OPAM) repo remove ${n} ${u}`),
    ]),
  ];
}

/**
 * `depext-lockfile`, which starts with a newline of its own. Its echo has no `@` (make shows
 * the command too), as in mirage 4.9.
 */
const DEPEXT_RULE = `\ndepext-lockfile: ${LOCKFILE}\n` +
  '\techo " ↳ install external dependencies for monorepo"\n' +
  `\t${MONOREPO} depext -y -l $<\n`;

/**
 * The optional rules after `.PHONY` (overlay repositories, depext), spaced as mirage 4.9 spaces
 * them (rules joined by a blank line, each ending with a newline of its own), so that the
 * Makefile reads line for line like mirage's.
 */
function optionalRules(input: MakefileInput): string {
  const rules = [
    ...(input.extraRepos.length ? repoRules(input.extraRepos) : []),
    ...(input.depext ? [DEPEXT_RULE] : []),
  ];
  return rules.length ? `\n\n${rules.join("\n\n")}` : "";
}

/**
 * Generates the Makefile (without header): mirage 4.9's, with `unik clean`, the real artifact
 * name (mirage 4.9 names `dist/<name>` for every target) and `unik run` in the last message.
 */
export function generateMakefile(input: MakefileInput): string {
  checkMakefileInput(input);
  const unik = makeRecipeCommand(input.command ?? ["unik"]);
  const repos = input.extraRepos;
  const phony = ["all", "lock", "install-switch", "pull", "clean", "depend", "depends", "build"];
  if (repos.length) phony.push("repo-add", "repo-rm");
  if (input.depext) phony.push("depext-lockfile");
  const head = [
    "-include Makefile.user",
    `BUILD_DIR = ${input.buildDir}`,
    `MIRAGE_DIR = ${input.mirageDir}`,
    `UNIKERNEL_NAME = ${input.opamName}`,
    "OPAM = opam",
    "",
    "all::",
    "\t@$(MAKE) --no-print-directory depends",
    "\t@$(MAKE) --no-print-directory build",
    "",
    `.PHONY: ${phony.join(" ")}`,
  ].join("\n");
  const lock = `@${MONOREPO} lock --require-cross-compile --build-only $(UNIKERNEL_NAME) -l $@ ` +
    "--ocaml-version $(shell ocamlc --version)";
  const blocks: string[] = [
    [
      `${LOCKFILE}: $(MIRAGE_DIR)/$(UNIKERNEL_NAME).opam`,
      ...(repos.length ? ["\t@$(MAKE) -s repo-add"] : []),
      '\t@echo " ↳ generate lockfile for monorepo dependencies"',
      repos.length ? `\t${lock}; (ret=$$?; $(MAKE) -s repo-rm && exit $$ret)` : `\t${lock}`,
    ].join("\n"),
    [
      "lock::",
      `\t@$(MAKE) -B ${LOCKFILE}`,
      "\t@echo \"The lock file has been generated. Run 'make pull' to retrieve the sources, " +
      "or 'make install-switch' to install the host dependencies.\"",
    ].join("\n"),
    [
      `pull:: ${LOCKFILE}`,
      '\t@echo " ↳ fetch monorepo dependencies in the duniverse folder"',
      `\t@${MONOREPO} pull -l $< -r $(abspath $(BUILD_DIR))`,
      '\t@echo "The sources have been pulled to the duniverse folder. ' +
      "Run 'make build' to build the unikernel.\"",
    ].join("\n"),
    [
      "install-switch:: $(MIRAGE_DIR)/$(UNIKERNEL_NAME).opam",
      '\t@echo " ↳ opam install switch dependencies"',
      `\t@$(OPAM) install $< --deps-only --yes${input.depext ? "" : " --no-depexts"}`,
      ...(input.depext ? ["\t@$(MAKE) -s depext-lockfile"] : []),
      "\t@echo \"The dependencies have been installed. Run 'make build' to build the unikernel.\"",
    ].join("\n"),
    "depends depend::\n" +
    "\t@$(MAKE) --no-print-directory lock\n" +
    "\t@$(MAKE) --no-print-directory install-switch\n" +
    "\t@$(MAKE) --no-print-directory pull",
    [
      "build::",
      "\tdune build --profile release --root . $(BUILD_DIR)dist",
      `\t@echo "Your unikernel binary is now ready in $(BUILD_DIR)dist/${input.artifact}"`,
      "\t@echo \"Run it with 'unik run', or with solo5-hvt, solo5-spt, xl, ...\"",
    ].join("\n"),
    `clean::\n\t${unik} clean`,
  ];
  return `${head}${optionalRules(input)}\n\n${blocks.join("\n\n")}\n`;
}
