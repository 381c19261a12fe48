// unik run against fake tenders, VMMs and toolstacks (PATH-injected scripts recording their
// arguments, tests/fixtures/fake-toolchain/fake: no Solo5, QEMU, Firecracker or Xen runs
// here): the exact command of every target, the tender options in solo5's syntax, every
// manifest device attached, --print, and QEMU's exit codes.
import assert from "node:assert/strict";
import { join } from "node:path";
import { copyOf, fakeToolchain, unikProcess } from "./helpers.ts";

const show = (c: { tool: string; args: string[] }) => [c.tool, ...c.args].join(" ");

/** How the project and machine of {@link runDevices} differ from the ordinary ones. */
interface DevicesSetup {
  /** The fixture (default tests/fixtures/configs/devices). */
  readonly fixture?: string;
  /** Whether the block device's file exists (it does by default). */
  readonly disk?: boolean;
  /** Tools missing from the fake toolchain. */
  readonly without?: readonly string[];
}

/** The attachments of the devices fixture's two devices. */
const ATTACH = ["--net:service=tap0", "--block:disk.img=disk.img"];
/** On Unikraft the fixture's network device is named 0. */
const UNIKRAFT_ATTACH = ["--net:0=tap7", "--block:disk.img=disk.img"];

async function runDevices(
  target: string,
  extra: string[] = ATTACH,
  env: Record<string, string> = {},
  setup: DevicesSetup = {},
) {
  const dir = await copyOf(setup.fixture ?? "tests/fixtures/configs/devices");
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
  return { dir, r, fake, calls, started: calls[calls.length - 1] };
}

Deno.test("run -t unix starts dist/<name> with the boot arguments; its exit code is unik's", async () => {
  const { r } = await runDevices("unix", [], { FAKE_EXIT: "7" });
  assert.equal(r.code, 7);
  assert.match(r.stdout, /fake unikernel .*dist\/devices --hello=x/);
});

Deno.test("run -t hvt passes the tender options to solo5-hvt in solo5's syntax", async () => {
  const { dir, started } = await runDevices("hvt", [
    "--net:service=tap100",
    "--net-mac:service=02:00:00:00:00:01",
    "--block:disk.img=disk.img",
    "--block-sector-size:disk.img=4096",
    "--mem=64",
  ]);
  assert.equal(
    show(started),
    "solo5-hvt --mem=64 --net:service=tap100 --net-mac:service=02:00:00:00:00:01 " +
      `--block:disk.img=${dir}/disk.img --block-sector-size:disk.img=4096 -- dist/devices.hvt --hello=x`,
  );
});

Deno.test("run -t spt uses solo5-spt with the default memory", async () => {
  const { dir, started } = await runDevices("spt");
  assert.equal(
    show(started),
    `solo5-spt --mem=512 --net:service=tap0 --block:disk.img=${dir}/disk.img -- dist/devices.spt --hello=x`,
  );
});

Deno.test("a manifest device left unattached is an error naming it, before anything runs", async () => {
  const { r, calls } = await runDevices("spt", ["--block:disk.img=disk.img"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /manifest has device not attached: service \(net\)/);
  assert.match(r.stderr, /attach it: --net:service=IFACE/);
  assert.deepEqual(calls, []);
});

Deno.test("every unattached device is named, networks and blocks", async () => {
  const { r } = await runDevices("hvt", []);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /devices not attached: service \(net\), disk\.img \(block\)/);
});

Deno.test("a tender option naming no device of the unikernel is a usage error", async () => {
  const { r } = await runDevices("hvt", [...ATTACH, "--net:eth9=tap1"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--net:eth9=tap1: the unikernel has no network device named eth9/);
  assert.match(r.stderr, /its network devices: service/);
});

Deno.test("tender option values are validated", async (t) => {
  const cases: [string, RegExp][] = [
    ["--net:service=tap0;rm", /'tap0;rm' is not a host network interface name/],
    ["--net-mac:service=02:00", /'02:00' is not a MAC address/],
    ["--block-sector-size:disk.img=1000", /'1000' is not a sector size/],
    ["--mem=lots", /--mem=lots: expected a number of MiB/],
    ["--net:service", /--net:service: expected --net:NAME=IFACE/],
  ];
  const dir = await copyOf("tests/fixtures/configs/devices");
  const fake = await fakeToolchain();
  for (const [arg, message] of cases) {
    await t.step(arg, async () => {
      const r = await unikProcess(dir, ["run", "-t", "hvt", ...ATTACH, arg], fake.env);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
    });
  }
  assert.deepEqual(await fake.calls(), []);
});

Deno.test("unik's former --net NAME=TAP spelling says what replaced it", async () => {
  const { r } = await runDevices("hvt", ["--net", "service=tap0"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /tender options take the form --net:NAME=IFACE/);
  assert.match(r.stderr, /write --net:service=tap0/);
});

Deno.test("run --net=VALUE is the stack's configure key, validated", async () => {
  const dir = await copyOf("examples/network");
  const fake = await fakeToolchain();
  const sources = await Deno.makeTempDir();
  const base = ["run", "-t", "unix", "--offline", "--duniverse", sources];
  const bad = await unikProcess(dir, [...base, "--net=bogus"], fake.env);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /bogus/);
  assert.match(bad.stderr, /expected one of 'host', 'socket', 'direct' or 'ocaml'/);
  const good = await unikProcess(dir, [...base, "--net=direct"], fake.env);
  assert.equal(good.code, 0, good.stderr);
  const context = JSON.parse(await Deno.readTextFile(join(dir, "mirage/context")));
  assert.equal(context.keys.net, "direct");
});

Deno.test("run --print prints the exact command and starts nothing", async () => {
  const { dir, r, calls } = await runDevices("hvt", [...ATTACH, "--print"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stdout,
    `solo5-hvt --mem=512 --net:service=tap0 --block:disk.img=${dir}/disk.img -- dist/devices.hvt --hello=x\n`,
  );
  assert.ok(!calls.some((c) => c.tool === "solo5-hvt"));
  assert.ok(calls.some((c) => c.tool === "dune"), "the unikernel is built first");
});

Deno.test("run --dry-run is --print, and quotes what a shell would split", async () => {
  const { r } = await runDevices(
    "spt",
    [
      "--net:service=tap0",
      "--block:disk.img=my disk.img",
      "--dry-run",
    ],
    {},
    { disk: false },
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^solo5-spt .* '--block:disk\.img=\/.*\/my disk\.img' -- /);
});

/** The Solo5 manifest's device names, in its order. */
async function manifestOrder(dir: string): Promise<string[]> {
  const manifest = JSON.parse(await Deno.readTextFile(join(dir, "mirage/manifest.json")));
  return manifest.devices.map((d: { name: string }) => d.name);
}

Deno.test("run -t virtio: QEMU with isa-debug-exit, no display, and devices on PCI slots in manifest order", async () => {
  const { dir, started, r } = await runDevices(
    "virtio",
    [
      "--net:service=tapS",
      "--net:admin=tapA",
      "--block:disk.img=disk.img",
    ],
    {},
    { fixture: "tests/fixtures/configs/two-nets" },
  );
  assert.equal(r.code, 0, r.stderr);
  const order = await manifestOrder(dir);
  assert.deepEqual(order.slice(0, 2).sort(), ["admin", "service"]);
  const tap = (name: string) => (name === "service" ? "tapS" : "tapA");
  const cmd = show(started);
  assert.ok(cmd.includes(" -device isa-debug-exit "), cmd);
  assert.ok(cmd.includes(" -display none -serial stdio "), cmd);
  assert.ok(!cmd.includes("-nographic"), cmd);
  assert.ok(
    cmd.includes(
      `-device virtio-net,netdev=n2,addr=0x2,bus=pci.0 -netdev tap,id=n2,ifname=${
        tap(order[0])
      },script=no,downscript=no ` +
        `-device virtio-net,netdev=n3,addr=0x3,bus=pci.0 -netdev tap,id=n3,ifname=${
          tap(order[1])
        },script=no,downscript=no ` +
        `-drive id=drive4,file=${dir}/disk.img,if=none,format=raw -device virtio-blk,drive=drive4,addr=0x4,bus=pci.0`,
    ),
    cmd,
  );
  assert.match(cmd, / -kernel dist\/twonets\.virtio -append --hello=x$/);
});

Deno.test("run -t virtio doubles the commas of a disk path (QEMU's option syntax)", async () => {
  const images = await Deno.makeTempDir({ suffix: ",x" });
  await Deno.writeTextFile(join(images, "d.img"), "");
  const { started } = await runDevices("virtio", [
    "--net:service=tap0",
    `--block:disk.img=${images}/d.img`,
  ]);
  assert.ok(show(started).includes(`file=${images.replaceAll(",", ",,")}/d.img,if=none`));
});

Deno.test("run -t virtio uses KVM when /dev/kvm is usable, TCG otherwise, and says which", async () => {
  const { r, started } = await runDevices("virtio");
  let usable = true;
  try {
    Deno.openSync("/dev/kvm", { read: true, write: true }).close();
  } catch {
    usable = false;
  }
  const cmd = show(started);
  if (usable) {
    assert.ok(cmd.includes(" -accel kvm -cpu host "), cmd);
    assert.match(r.stderr, /QEMU runs the guest with KVM/);
  } else {
    assert.ok(cmd.includes(" -accel tcg "), cmd);
    assert.match(r.stderr, /QEMU runs the guest with TCG/);
  }
});

Deno.test("QEMU's exit code 83 (solo5_exit through isa-debug-exit) is reported as 0, with its meaning", async () => {
  const { r } = await runDevices("virtio", ATTACH, { FAKE_EXIT: "83" });
  assert.equal(r.code, 0);
  assert.match(r.stderr, /QEMU exit code 83: the unikernel called solo5_exit/);
  const failed = await runDevices("virtio", ATTACH, { FAKE_EXIT: "1" });
  assert.equal(failed.r.code, 1);
  assert.match(failed.r.stderr, /QEMU exit code 1: QEMU failed/);
});

Deno.test("run -t unikraft-qemu boots qemu's q35 machine with PCI devices", async () => {
  const { started } = await runDevices("unikraft-qemu", UNIKRAFT_ATTACH);
  assert.match(
    show(started),
    /^qemu-system-x86_64 -machine q35 -accel (kvm|tcg) .* -display none -serial stdio .*-kernel dist\/devices\.qemu/,
  );
});

Deno.test("run -t unikraft-firecracker writes a VM config naming kernel, args, disk and tap", async () => {
  const { dir, started, fake } = await runDevices("unikraft-firecracker", UNIKRAFT_ATTACH);
  assert.equal(started.tool, "firecracker");
  assert.deepEqual(started.args.slice(0, 2), ["--no-api", "--config-file"]);
  const vm = JSON.parse(await Deno.readTextFile(`${fake.log}.firecracker`));
  assert.equal(vm["boot-source"].kernel_image_path, `${dir}/dist/devices.fc`);
  assert.equal(vm["boot-source"].boot_args, "--hello=x");
  assert.equal(vm.drives[0].path_on_host, `${dir}/disk.img`);
  assert.equal(vm["network-interfaces"][0].host_dev_name, "tap7");
});

Deno.test("run -t xen creates the guest from the generated xl file with the boot arguments", async () => {
  const { dir, started } = await runDevices("xen", []);
  assert.equal(show(started), `xl create -c ${dir}/dist/devices.xl memory=512 extra="--hello=x"`);
  assert.equal(started.cwd, `${dir}/dist`);
});

Deno.test("run -t qubes writes an xl file for the run", async () => {
  const { dir, started, fake } = await runDevices("qubes", []);
  assert.equal(started.tool, "xl");
  const xl = await Deno.readTextFile(`${fake.log}.xl`);
  assert.match(xl, new RegExp(`kernel = '${dir}/dist/devices\\.xen'`));
});

Deno.test("run on genode says how such unikernels are started, before building", async () => {
  const { r, calls } = await runDevices("genode");
  assert.equal(r.code, 6);
  assert.match(r.stderr, /unik cannot start genode unikernels by itself/);
  assert.match(r.stderr, /hint: a Genode unikernel runs as a component/);
  assert.deepEqual(calls, []);
});

Deno.test("a missing block file is reported before anything runs", async () => {
  const { r, calls } = await runDevices("hvt", ATTACH, {}, { disk: false });
  assert.equal(r.code, 6);
  assert.match(r.stderr, /missing block device file: disk\.img: .*disk\.img/);
  assert.deepEqual(calls, []);
});
