#!/usr/bin/env bash
# Installs, from Debian, the OCaml toolchain the demo and the tests build with: OCaml 4.13,
# dune 2.9, findlib, and the lwt, cmdliner, logs and fmt libraries the test duniverse uses.
# Does nothing when they are present; warns (and lets unik report what is missing) when it
# cannot install them.
set -u
need=()
command -v ocamlfind >/dev/null || need+=(ocaml-nox ocaml-findlib)
command -v dune >/dev/null || need+=(ocaml-dune)
for lib in lwt cmdliner logs fmt; do
  ocamlfind query "$lib" >/dev/null 2>&1 || need+=("lib$lib-ocaml-dev")
done
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ]; then sudo=(); elif command -v sudo >/dev/null; then sudo=(sudo); else
  echo "warning: cannot install ${need[*]} (not root, no sudo)" >&2
  exit 0
fi
echo "installing from Debian: ocaml-nox ocaml-dune ocaml-findlib and the OCaml libraries" >&2
"${sudo[@]}" apt-get update -qq >/dev/null 2>&1
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq ocaml-nox ocaml-dune ocaml-findlib \
  liblwt-ocaml-dev libcmdliner-ocaml-dev liblogs-ocaml-dev libfmt-ocaml-dev >/dev/null 2>&1 ||
  echo "warning: apt-get could not install the OCaml toolchain" >&2
exit 0
