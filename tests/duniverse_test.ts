// A local duniverse mirrored into the project (lib/toolchain/duniverse.ts): hard links where
// possible, copies across file systems, and a re-sync that touches only what changed.
import assert from "node:assert/strict";
import { join } from "node:path";
import { MIRROR_MARK, mirrorDuniverse } from "../lib/toolchain/duniverse.ts";
import type { UnikError } from "../lib/errors.ts";

async function sources(root = Deno.makeTempDirSync({ prefix: "unik-dv-src-" })) {
  await Deno.mkdir(join(root, "pkg/src"), { recursive: true });
  await Deno.writeTextFile(join(root, "pkg/dune"), "(* -*- tuareg -*- *)\n");
  await Deno.writeTextFile(join(root, "pkg/src/a.ml"), "let a = 1\n");
  await Deno.symlink("src/a.ml", join(root, "pkg/a_link.ml"));
  return root;
}

const ino = (path: string) => Deno.statSync(path).ino;

Deno.test("the duniverse is mirrored as a real directory of hard links", async () => {
  const src = await sources();
  const root = await Deno.makeTempDir();
  const counts = await mirrorDuniverse(root, src);
  assert.deepEqual(counts, { written: 3, removed: 0, kept: 0 });
  assert.ok(!(await Deno.lstat(join(root, "duniverse"))).isSymlink);
  assert.equal(ino(join(root, "duniverse/pkg/dune")), ino(join(src, "pkg/dune")));
  assert.equal(await Deno.readLink(join(root, "duniverse/pkg/a_link.ml")), "src/a.ml");
  assert.deepEqual(JSON.parse(await Deno.readTextFile(join(root, "duniverse", MIRROR_MARK))), {
    source: src,
  });
});

Deno.test("a re-sync with nothing changed writes nothing", async () => {
  const src = await sources();
  const root = await Deno.makeTempDir();
  await mirrorDuniverse(root, src);
  const before = ino(join(root, "duniverse/pkg/src/a.ml"));
  assert.deepEqual(await mirrorDuniverse(root, src), { written: 0, removed: 0, kept: 3 });
  assert.equal(ino(join(root, "duniverse/pkg/src/a.ml")), before);
});

Deno.test("a re-sync follows the sources: replaced, added and removed files", async () => {
  const src = await sources();
  const root = await Deno.makeTempDir();
  await mirrorDuniverse(root, src);
  await Deno.remove(join(src, "pkg/src/a.ml"));
  await Deno.writeTextFile(join(src, "pkg/src/a.ml"), "let a = 2\n");
  await Deno.writeTextFile(join(src, "pkg/b.ml"), "let b = 1\n");
  await Deno.remove(join(src, "pkg/dune"));
  const counts = await mirrorDuniverse(root, src);
  assert.deepEqual(counts, { written: 2, removed: 1, kept: 1 });
  assert.equal(await Deno.readTextFile(join(root, "duniverse/pkg/src/a.ml")), "let a = 2\n");
  assert.ok(!(await Deno.stat(join(root, "duniverse/pkg/dune")).catch(() => undefined)));
});

Deno.test("across file systems files are copied, and unchanged copies are kept", async () => {
  let shm: string;
  try {
    shm = await Deno.makeTempDir({ dir: "/dev/shm" });
  } catch {
    return; // no second file system here
  }
  const root = await Deno.makeTempDir();
  if (Deno.statSync(shm).dev === Deno.statSync(root).dev) return;
  const src = await sources(shm);
  await mirrorDuniverse(root, src);
  assert.notEqual(Deno.statSync(join(root, "duniverse/pkg/dune")).dev, Deno.statSync(src).dev);
  assert.equal(await Deno.readTextFile(join(root, "duniverse/pkg/src/a.ml")), "let a = 1\n");
  assert.deepEqual(await mirrorDuniverse(root, src), { written: 0, removed: 0, kept: 3 });
});

Deno.test("a duniverse/ of the user's (not a mirror) is left alone", async () => {
  const src = await sources();
  const root = await Deno.makeTempDir();
  await Deno.mkdir(join(root, "duniverse/mine"), { recursive: true });
  await assert.rejects(() => mirrorDuniverse(root, src), (e: UnikError) => {
    assert.match(e.message, /duniverse\/ already exists and is not unik's copy/);
    return true;
  });
  assert.ok((await Deno.stat(join(root, "duniverse/mine"))).isDirectory);
});

Deno.test("unik's former link to the directory is replaced by a mirror", async () => {
  const src = await sources();
  const root = await Deno.makeTempDir();
  await Deno.symlink(src, join(root, "duniverse"));
  await mirrorDuniverse(root, src);
  assert.ok((await Deno.lstat(join(root, "duniverse"))).isDirectory);
  assert.ok((await Deno.lstat(join(src, "pkg/dune"))).isFile, "the sources are untouched");
});

Deno.test("a --duniverse directory holding the project's duniverse/ is refused", async () => {
  const root = await Deno.makeTempDir();
  await assert.rejects(() => mirrorDuniverse(root, root), /holds the project's own duniverse/);
});
