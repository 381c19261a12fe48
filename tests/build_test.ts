// unik build and unik run against fake toolchains (PATH-injected scripts recording their
// arguments): the exact commands for every target, skipped steps, failures and missing tools.
import assert from "node:assert/strict";
import { join } from "node:path";
import { copyOf, fakeToolchain, unikProcess } from "./helpers.ts";

const show = (c: { tool: string; args: string[] }) => [c.tool, ...c.args].join(" ");

Deno.test("build runs lock, switch install, depext, pull and dune build, in order", async () => {
  const dir = await copyOf("examples/hello");
  const fake = await fakeToolchain();
  const r = await unikProcess(dir, ["build", "-t", "unix"], fake.env);
  assert.equal(r.code, 0, r.stderr);
  const calls = await fake.calls();
  assert.deepEqual(calls.map(show), [
    "ocamlc -version",
    "opam monorepo lock --require-cross-compile --build-only hello-unix -l mirage/hello-unix.opam.locked --ocaml-version 4.13.1",
    "opam install mirage/hello-unix.opam --deps-only --yes",
    "opam monorepo depext -y -l mirage/hello-unix.opam.locked",
    `opam monorepo pull -l mirage/hello-unix.opam.locked -r ${dir}`,
    "dune build --profile release --root . ./dist",
  ]);
  for (const c of calls) assert.equal(c.cwd, dir);
  assert.deepEqual(calls.filter((c) => c.args[0] === "monorepo").map((c) => c.monorepoVar), [
    "opam-monorepo",
    "opam-monorepo",
    "opam-monorepo",
  ]);
  assert.equal(calls.find((c) => c.args[0] === "install")!.monorepoVar, "");
  assert.match(
    r.stderr,
    /• build the unikernel: dune build --profile release --root \. \.\/dist\n {2}done in \d+\.\ds/,
  );
  assert.match(r.stderr, /unikernel built: dist\/hello/);
});

Deno.test("a second build skips the steps already done", async () => {
  const dir = await copyOf("examples/hello");
  const fake = await fakeToolchain();
  await unikProcess(dir, ["build"], fake.env);
  await Deno.writeTextFile(fake.log, "");
  const r = await unikProcess(dir, ["build"], fake.env);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual((await fake.calls()).map(show), [
    "dune build --profile release --root . ./dist",
  ]);
  assert.match(r.stderr, /lock monorepo dependencies: skipped/);
  assert.match(r.stderr, /pull monorepo dependencies: skipped/);
});

Deno.test("--no-depext installs without depexts and runs no depext step", async () => {
  const dir = await copyOf("examples/hello");
  const fake = await fakeToolchain();
  await unikProcess(dir, ["build", "--no-depext"], fake.env);
  const cmds = (await fake.calls()).map(show);
  assert.ok(cmds.includes("opam install mirage/hello-unix.opam --deps-only --yes --no-depexts"));
  assert.ok(!cmds.some((c) => c.includes("depext -y")));
});

Deno.test("a failing step stops the build with its command, exit code and output tail", async () => {
  const dir = await copyOf("examples/hello");
  const fake = await fakeToolchain();
  const r = await unikProcess(dir, ["build"], { ...fake.env, FAKE_FAIL: "opam monorepo pull" });
  assert.equal(r.code, 5);
  assert.match(
    r.stderr,
    /pull monorepo dependencies into duniverse\/ failed \(exit code 2\): opam monorepo pull/,
  );
  assert.match(r.stderr, /opam: fake failure/);
  assert.match(r.stderr, /diagnostic line 30/);
  assert.doesNotMatch(r.stderr, /diagnostic line 5\n/);
  assert.ok(!(await fake.calls()).some((c) => c.tool === "dune"));
});

Deno.test("after a failure the next build continues where it stopped", async () => {
  const dir = await copyOf("examples/hello");
  const fake = await fakeToolchain();
  await unikProcess(dir, ["build"], { ...fake.env, FAKE_FAIL: "dune" });
  await Deno.writeTextFile(fake.log, "");
  const r = await unikProcess(dir, ["build"], fake.env);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual((await fake.calls()).map(show), [
    "dune build --profile release --root . ./dist",
  ]);
});

Deno.test("a missing tool is reported with what needs it and how to install it; nothing runs", async () => {
  const dir = await copyOf("examples/hello");
  const fake = await fakeToolchain(["opam"]);
  const r = await unikProcess(dir, ["build"], fake.env);
  assert.equal(r.code, 5);
  assert.match(
    r.stderr,
    /missing tool:\n {2}opam \(needed to lock monorepo dependencies\): install opam/,
  );
  assert.deepEqual((await fake.calls()).map(show), ["ocamlc -version"]);
});

Deno.test("--offline --duniverse builds with dune only, from the linked sources", async () => {
  const dir = await copyOf("examples/hello");
  const fake = await fakeToolchain();
  const src = await Deno.makeTempDir();
  const r = await unikProcess(dir, ["build", "--offline", "--duniverse", src], fake.env);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual((await fake.calls()).map(show), [
    "dune build --profile release --root . ./dist",
  ]);
  assert.equal(await Deno.readLink(join(dir, "duniverse")), src);
});

Deno.test("--offline without sources says how to provide them", async () => {
  const dir = await copyOf("examples/hello");
  const fake = await fakeToolchain();
  const r = await unikProcess(dir, ["build", "--offline"], fake.env);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /an offline build needs the package sources/);
});

/** How the project and machine of {@link runDevices} differ from the ordinary ones. */
interface DevicesSetup {
  /** Whether the block device's file exists (it does by default). */
  readonly disk?: boolean;
  /** Tools missing from the fake toolchain. */
  readonly without?: readonly string[];
}

async function runDevices(
  target: string,
  extra: string[] = [],
  env: Record<string, string> = {},
  setup: DevicesSetup = {},
) {
  const dir = await copyOf("tests/fixtures/configs/devices");
  if (setup.disk !== false) await Deno.writeTextFile(join(dir, "disk.img"), "");
  const fake = await fakeToolchain(setup.without);
  const sources = await Deno.makeTempDir();
  const r = await unikProcess(dir, [
    "run",
    "-t",
    target,
    "--offline",
    "--duniverse",
    sources,
    ...extra,
    "--",
    "--hello=x",
  ], {
    ...fake.env,
    ...env,
  });
  const calls = await fake.calls();
  return { dir, r, fake, started: calls[calls.length - 1] };
}

Deno.test("run -t unix starts dist/<name> with the boot arguments; its exit code is unik's", async () => {
  const { r } = await runDevices("unix", [], { FAKE_EXIT: "7" });
  assert.equal(r.code, 7);
  assert.match(r.stdout, /fake unikernel .*dist\/devices --hello=x/);
});

Deno.test("run -t hvt attaches the manifest's network and block devices to solo5-hvt", async () => {
  const { dir, started } = await runDevices("hvt", ["--net", "service=tap100", "--mem", "64"]);
  assert.equal(
    show(started),
    `solo5-hvt --mem=64 --net:service=tap100 --block:disk.img=${dir}/disk.img -- dist/devices.hvt --hello=x`,
  );
});

Deno.test("run -t spt uses solo5-spt with default tap and memory", async () => {
  const { dir, started } = await runDevices("spt");
  assert.equal(
    show(started),
    `solo5-spt --mem=512 --net:service=tap0 --block:disk.img=${dir}/disk.img -- dist/devices.spt --hello=x`,
  );
});

Deno.test("run -t virtio boots qemu with virtio network and disk", async () => {
  const { dir, started } = await runDevices("virtio");
  assert.equal(
    show(started),
    "qemu-system-x86_64 -m 512M -nodefaults -nographic -serial stdio -kernel dist/devices.virtio " +
      "-device virtio-net,netdev=n0 -netdev tap,id=n0,ifname=tap0,script=no,downscript=no " +
      `-drive file=${dir}/disk.img,if=virtio,format=raw -append --hello=x`,
  );
});

Deno.test("run -t unikraft-qemu boots qemu's q35 machine with PCI devices", async () => {
  const { started } = await runDevices("unikraft-qemu");
  assert.match(
    show(started),
    /^qemu-system-x86_64 -machine q35 -m 512M .* -kernel dist\/devices\.qemu -device virtio-net-pci,netdev=n0 /,
  );
});

Deno.test("run -t unikraft-firecracker writes a VM config naming kernel, args, disk and tap", async () => {
  const { dir, started, fake } = await runDevices("unikraft-firecracker");
  assert.equal(started.tool, "firecracker");
  assert.deepEqual(started.args.slice(0, 2), ["--no-api", "--config-file"]);
  const vm = JSON.parse(await Deno.readTextFile(`${fake.log}.firecracker`));
  assert.equal(vm["boot-source"].kernel_image_path, `${dir}/dist/devices.fc`);
  assert.equal(vm["boot-source"].boot_args, "--hello=x");
  assert.equal(vm.drives[0].path_on_host, `${dir}/disk.img`);
  assert.equal(vm["network-interfaces"][0].host_dev_name, "tap0");
});

Deno.test("run -t xen creates the guest from the generated xl file with the boot arguments", async () => {
  const { dir, started } = await runDevices("xen");
  assert.equal(show(started), `xl create -c ${dir}/dist/devices.xl memory=512 extra="--hello=x"`);
  assert.equal(started.cwd, `${dir}/dist`);
});

Deno.test("run -t qubes writes an xl file for the run", async () => {
  const { dir, started, fake } = await runDevices("qubes");
  assert.equal(started.tool, "xl");
  const xl = await Deno.readTextFile(`${fake.log}.xl`);
  assert.match(xl, new RegExp(`kernel = '${dir}/dist/devices\\.xen'`));
});

Deno.test("run on genode says how such unikernels are started", async () => {
  const { r } = await runDevices("genode");
  assert.equal(r.code, 6);
  assert.match(r.stderr, /unik cannot start genode unikernels by itself/);
  assert.match(r.stderr, /hint: a Genode unikernel runs as a component/);
});

Deno.test("a missing block file is reported before anything starts", async () => {
  const { r, fake } = await runDevices("hvt", [], {}, { disk: false });
  assert.equal(r.code, 6);
  assert.match(r.stderr, /missing block device file: disk\.img: .*disk\.img/);
  assert.ok(!(await fake.calls()).some((c) => c.tool === "solo5-hvt"));
});

Deno.test("--net naming no device of the unikernel is a usage error", async () => {
  const { r } = await runDevices("hvt", ["--net", "eth9=tap1"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /the unikernel has no net device named eth9/);
  assert.match(r.stderr, /its net devices: service/);
});

Deno.test("a missing tender is reported with how to install it", async () => {
  const { r } = await runDevices("hvt", [], {}, { without: ["solo5-hvt"] });
  assert.equal(r.code, 5);
  assert.match(r.stderr, /solo5-hvt \(needed to start a hvt unikernel\): install solo5/);
});
