// Options remembered in the saved context (--offline, --duniverse, the tender options) and key
// values across commands, against fake toolchains (PATH-injected recorders,
// tests/fixtures/fake-toolchain/fake: no opam repository or Solo5 tender runs here).
import assert from "node:assert/strict";
import { join } from "node:path";
import { copyOf, fakeToolchain, unik, unikProcess } from "./helpers.ts";

const show = (c: { tool: string; args: string[] }) => [c.tool, ...c.args].join(" ");

async function project(fixture = "tests/fixtures/configs/devices") {
  const dir = await copyOf(fixture);
  await Deno.writeTextFile(join(dir, "disk.img"), "");
  const fake = await fakeToolchain();
  const sources = await Deno.makeTempDir();
  const run = async (args: string[]) => {
    await Deno.writeTextFile(fake.log, "");
    const r = await unikProcess(dir, args, fake.env);
    return { r, ran: (await fake.calls()).filter((c) => c.tool !== "ocamlfind").map(show) };
  };
  return { dir, sources, run };
}

Deno.test("a run after build --offline --duniverse builds offline from the same sources", async () => {
  const { dir, sources, run } = await project();
  const built = await run(["build", "--offline", "--duniverse", sources]);
  assert.equal(built.r.code, 0, built.r.stderr);
  const { r, ran } = await run(["run"]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!ran.some((c) => c.startsWith("opam") || c.startsWith("ocamlc")), ran.join("\n"));
  const mark = JSON.parse(await Deno.readTextFile(join(dir, "duniverse/.unik-duniverse")));
  assert.equal(mark.source, sources);
});

Deno.test("describe shows the remembered build options", async () => {
  const { dir, sources, run } = await project();
  await run(["build", "--offline", "--duniverse", sources]);
  const d = await unik(dir, ["describe"]);
  assert.equal(d.code, 0, d.stderr);
  assert.match(
    d.stdout,
    new RegExp(`\nBuild {6}--offline --duniverse=${sources} \\(remembered\\)\n`),
  );
});

Deno.test("--no-offline forgets --offline and --duniverse: opam runs again", async () => {
  const { dir, sources, run } = await project();
  await run(["build", "--offline", "--duniverse", sources]);
  await Deno.remove(join(dir, "duniverse"), { recursive: true });
  const { r, ran } = await run(["build", "--no-offline"]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(ran.some((c) => c.startsWith("opam monorepo lock")), ran.join("\n"));
  const d = await unik(dir, ["describe"]);
  assert.doesNotMatch(d.stdout, /\nBuild /);
});

Deno.test("tender options are remembered per device until given again", async () => {
  const { dir, sources, run } = await project();
  const first = await run([
    "run",
    "-t",
    "hvt",
    "--offline",
    "--duniverse",
    sources,
    "--net:service=tap9",
    "--block:disk.img=disk.img",
    "--mem=64",
    "--print",
  ]);
  assert.equal(first.r.code, 0, first.r.stderr);
  const again = await run(["run", "--print"]);
  assert.equal(again.r.code, 0, again.r.stderr);
  assert.equal(
    again.r.stdout,
    `solo5-hvt --mem=64 --net:service=tap9 --block:disk.img=${dir}/disk.img -- dist/devices.hvt\n`,
  );
  const changed = await run(["run", "--net:service=tap1", "--print"]);
  assert.match(changed.r.stdout, / --net:service=tap1 --block:disk\.img=/);
  const d = await unik(dir, ["describe"]);
  assert.match(d.stdout, /--mem=64 --net:service=tap1 --block:disk\.img=disk\.img \(remembered\)/);
});

Deno.test("a remembered option that no longer works names itself and where it came from", async () => {
  const { sources, run } = await project();
  await run(["build", "--offline", "--duniverse", sources]);
  await Deno.remove(sources, { recursive: true });
  const { r } = await run(["build"]);
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    new RegExp(`--duniverse ${sources}: no such directory \\(remembered in mirage/context`),
  );
});

Deno.test("a remembered tender option naming a device the unikernel lacks says where it came from", async () => {
  const { dir, sources, run } = await project();
  await run(["build", "-t", "hvt", "--offline", "--duniverse", sources]);
  const path = join(dir, "mirage/context");
  const context = JSON.parse(await Deno.readTextFile(path));
  context.build.tender = { nets: { eth9: "tap0" } };
  await Deno.writeTextFile(path, JSON.stringify(context));
  const { r } = await run(["run", "--print"]);
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /--net:eth9=tap0 \(remembered in mirage\/context from an earlier command\): the unikernel has no network device named eth9/,
  );
});

Deno.test("a malformed remembered tender option is refused, naming the context file", async () => {
  const { dir, sources, run } = await project();
  await run(["build", "--offline", "--duniverse", sources]);
  const path = join(dir, "mirage/context");
  const context = JSON.parse(await Deno.readTextFile(path));
  context.build.tender = { nets: { service: "tap0;reboot" } };
  await Deno.writeTextFile(path, JSON.stringify(context));
  const { r, ran } = await run(["run"]);
  assert.equal(r.code, 3);
  assert.match(r.stderr, /mirage\/context: the saved tender option --net:service=tap0;reboot/);
  assert.deepEqual(ran, []);
});

Deno.test("a configure command line starts from the defaults, not the saved keys", async () => {
  const dir = await copyOf("examples/network");
  assert.equal((await unik(dir, ["configure", "--net=socket"])).code, 0);
  const r = await unik(dir, ["configure", "-t", "spt"]);
  assert.equal(r.code, 0, r.stderr);
  const context = JSON.parse(await Deno.readTextFile(join(dir, "mirage/context")));
  assert.deepEqual(context.keys, { target: "spt" });
});

Deno.test("later commands reuse the saved keys, and an error they cause names them and their origin", async () => {
  const dir = await copyOf("examples/network");
  assert.equal((await unik(dir, ["configure", "--net=socket"])).code, 0);
  const r = await unik(dir, ["query", "-t", "spt"]);
  assert.equal(r.code, 3);
  assert.match(r.stderr, /does not support the target spt/);
  assert.match(
    r.stderr,
    /saved in mirage\/context by an earlier configure and used here: --net=socket/,
  );
  const overridden = await unik(dir, ["query", "-t", "spt", "--net=direct"]);
  assert.equal(overridden.code, 0, overridden.stderr);
});
