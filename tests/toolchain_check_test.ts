// The up-front check of everything a build or run needs, per target family, against fake
// toolchains (PATH-injected recorders, tests/fixtures/fake-toolchain/fake: no opam repository,
// Solo5 or Unikraft toolchain, tender or VMM exists here). The fake ocamlfind knows every cross
// toolchain but those in FAKE_NO_TOOLCHAIN, for which it warns as the real one does.
import assert from "node:assert/strict";
import { join } from "node:path";
import { copyOf, fakeToolchain, unikProcess } from "./helpers.ts";
import { kvmStatus } from "../lib/toolchain/needs.ts";

const show = (c: { tool: string; args: string[] }) => [c.tool, ...c.args].join(" ");
const ATTACH = ["--net:service=tap0", "--block:disk.img=disk.img"];

async function attempt(
  args: string[],
  options: { without?: string[]; env?: Record<string, string>; offline?: boolean } = {},
) {
  const dir = await copyOf("tests/fixtures/configs/devices");
  await Deno.writeTextFile(join(dir, "disk.img"), "");
  const fake = await fakeToolchain(options.without);
  const offline = options.offline === false
    ? []
    : ["--offline", "--duniverse", await Deno.makeTempDir()];
  const r = await unikProcess(dir, [...args, ...offline], { ...fake.env, ...options.env });
  const calls = await fake.calls();
  return { r, calls, ran: calls.filter((c) => c.tool !== "ocamlfind").map(show) };
}

Deno.test("an hvt build checks the solo5 cross toolchain and solo5-elftool before running dune", async () => {
  const { r, ran } = await attempt(["build", "-t", "hvt"], {
    without: ["solo5-elftool"],
    env: { FAKE_NO_TOOLCHAIN: "solo5" },
  });
  assert.equal(r.code, 5);
  assert.match(
    r.stderr,
    /missing tools:\n {2}the solo5 ocamlfind toolchain \(needed to cross-compile for hvt \(dune's solo5 context\)\): install ocaml-solo5/,
  );
  assert.match(
    r.stderr,
    /\n {2}solo5-elftool \(needed to generate the Solo5 manifest of the unikernel\): install solo5/,
  );
  assert.match(r.stderr, /hint: nothing was run/);
  assert.deepEqual(ran, []);
});

Deno.test("a xen build needs the solo5 toolchain too; a unix build needs none", async () => {
  const xen = await attempt(["build", "-t", "xen"], { env: { FAKE_NO_TOOLCHAIN: "solo5" } });
  assert.equal(xen.r.code, 5);
  assert.match(xen.r.stderr, /the solo5 ocamlfind toolchain/);
  const unix = await attempt(["build", "-t", "unix"], {
    without: ["solo5-elftool"],
    env: { FAKE_NO_TOOLCHAIN: "solo5 unikraft" },
  });
  assert.equal(unix.r.code, 0, unix.r.stderr);
});

Deno.test("a unikraft build checks the unikraft ocamlfind toolchain", async () => {
  const { r, ran } = await attempt(["build", "-t", "unikraft-qemu"], {
    env: { FAKE_NO_TOOLCHAIN: "unikraft" },
  });
  assert.equal(r.code, 5);
  assert.match(r.stderr, /the unikraft ocamlfind toolchain .*: install ocaml-unikraft/);
  assert.deepEqual(ran, []);
});

Deno.test("what the switch installation brings is checked right after it, before dune", async () => {
  const { r, ran } = await attempt(["build", "-t", "hvt"], {
    without: ["solo5-elftool"],
    offline: false,
  });
  assert.equal(r.code, 5);
  assert.match(r.stderr, /solo5-elftool \(needed to generate the Solo5 manifest/);
  assert.match(r.stderr, /hint: the switch dependencies are installed but dune did not run/);
  assert.ok(ran.some((c) => c.startsWith("opam install")), ran.join("\n"));
  assert.ok(!ran.some((c) => c.startsWith("dune")), ran.join("\n"));
});

Deno.test("run checks the tender before building", async () => {
  const { r, ran } = await attempt(["run", "-t", "hvt", ...ATTACH], { without: ["solo5-hvt"] });
  assert.equal(r.code, 5);
  assert.match(r.stderr, /solo5-hvt \(needed to start a hvt unikernel\): install solo5/);
  assert.match(r.stderr, /hint: nothing was run/);
  assert.deepEqual(ran, []);
});

Deno.test("run checks QEMU, Firecracker and xl before any opam step", async (t) => {
  for (
    const [target, tool, args] of [
      ["virtio", "qemu-system-x86_64", ATTACH],
      ["unikraft-firecracker", "firecracker", ["--net:0=tap0", "--block:disk.img=disk.img"]],
      ["xen", "xl", []],
    ] as const
  ) {
    await t.step(target, async () => {
      const { r, ran } = await attempt(["run", "-t", target, ...args], {
        without: [tool],
        offline: false,
      });
      assert.equal(r.code, 5, r.stderr);
      assert.match(r.stderr, new RegExp(`${tool} \\(needed to start a ${target} unikernel\\)`));
      assert.deepEqual(ran, []);
    });
  }
});

Deno.test("every missing tool is listed at once", async () => {
  const { r } = await attempt(["run", "-t", "virtio", ...ATTACH], {
    without: ["opam", "qemu-system-x86_64", "solo5-elftool"],
    offline: false,
  });
  assert.equal(r.code, 5);
  assert.match(r.stderr, /missing tools:/);
  for (const tool of ["opam", "qemu-system-x86_64"]) {
    assert.match(r.stderr, new RegExp(`\n  ${tool} \\(needed to`));
  }
});

Deno.test("run --print needs no tender on this machine", async () => {
  const { r } = await attempt(["run", "-t", "hvt", ...ATTACH, "--print"], {
    without: ["solo5-hvt"],
  });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^solo5-hvt /);
});

Deno.test("kvmStatus says why /dev/kvm cannot be used", async () => {
  assert.deepEqual(kvmStatus("/nonexistent/kvm"), {
    usable: false,
    why: "/nonexistent/kvm does not exist (no KVM on this machine or VM)",
  });
  const file = await Deno.makeTempFile();
  assert.deepEqual(kvmStatus(file), { usable: false, why: `${file} is not a character device` });
});
