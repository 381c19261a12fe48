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

/** Generates the Makefile (without header). */
export function generateMakefile(input: MakefileInput): string {
  checkMakefileInput(input);
  const unik = makeRecipeCommand(input.command ?? ["unik"]);
  const repos = input.extraRepos;
  const names = repos.map(([n]) => n).join(", ");
  const phony = ["all", "lock", "install-switch", "pull", "clean", "depend", "depends", "build"];
  if (repos.length) phony.push("repo-add", "repo-rm");
  if (input.depext) phony.push("depext-lockfile");
  const blocks: string[] = [
    [
      "-include Makefile.user",
      `BUILD_DIR = ${input.buildDir}`,
      `MIRAGE_DIR = ${input.mirageDir}`,
      `UNIKERNEL_NAME = ${input.opamName}`,
      "OPAM = opam",
    ].join("\n"),
    "all::\n\t@$(MAKE) --no-print-directory depends\n\t@$(MAKE) --no-print-directory build",
    `.PHONY: ${phony.join(" ")}`,
  ];
  if (repos.length) {
    blocks.push(
      [
        "repo-add:",
        `\t@printf "\\033[2musing overlay repository mirage: [${names}] \\033[0m\\n"`,
        ...repos.map(([n, u]) => `\t$(OPAM) repo add ${n} ${u} || $(OPAM) repo set-url ${n} ${u}`),
      ].join("\n"),
      [
        "repo-rm:",
        `\t@printf "\\033[2mremoving overlay repository [${names}]\\033[0m\\n"`,
        ...repos.map(([n, u]) => `\t$(OPAM) repo remove ${n} ${u}`),
      ].join("\n"),
    );
  }
  if (input.depext) {
    blocks.push(
      `depext-lockfile: ${LOCKFILE}\n` +
        '\t@echo " ↳ install external dependencies for monorepo"\n' +
        `\t${MONOREPO} depext -y -l $<`,
    );
  }
  const lock = `@${MONOREPO} lock --require-cross-compile --build-only $(UNIKERNEL_NAME) -l $@ ` +
    "--ocaml-version $(shell ocamlc --version)";
  blocks.push(
    [
      `${LOCKFILE}: $(MIRAGE_DIR)/$(UNIKERNEL_NAME).opam`,
      ...(repos.length ? ["\t@$(MAKE) -s repo-add"] : []),
      '\t@echo " ↳ generate lockfile for monorepo dependencies"',
      repos.length ? `\t${lock}; (ret=$$?; $(MAKE) -s repo-rm && exit $$ret)` : `\t${lock}`,
    ].join("\n"),
    `lock::\n\t@$(MAKE) -B ${LOCKFILE}`,
    `pull:: ${LOCKFILE}\n` +
      '\t@echo " ↳ fetch monorepo dependencies in the duniverse folder"\n' +
      `\t@${MONOREPO} pull -l $< -r $(abspath $(BUILD_DIR))`,
    [
      "install-switch:: $(MIRAGE_DIR)/$(UNIKERNEL_NAME).opam",
      '\t@echo " ↳ opam install switch dependencies"',
      `\t@$(OPAM) install $< --deps-only --yes${input.depext ? "" : " --no-depexts"}`,
      ...(input.depext ? ["\t@$(MAKE) -s depext-lockfile"] : []),
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
  );
  return blocks.join("\n\n") + "\n";
}
