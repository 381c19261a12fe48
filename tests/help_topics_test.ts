// unik help devices, help device NAME and help targets: derived from the plugins and targets
// themselves (lib/help/), so that every standard device and target appears.
import assert from "node:assert/strict";
import { join } from "node:path";
import { copyOf, REPO, unik } from "./helpers.ts";
import { PLUGIN_NAMES } from "../lib/migrate/names.ts";
import { Impl } from "../lib/dsl/impl.ts";
import { TARGETS } from "../targets/mod.ts";
import { standardDevices } from "../lib/help/devices.ts";
import { parsePluginSource } from "../lib/help/plugin_source.ts";

/** The rows of the devices table, by config.ts name. */
async function deviceRows(): Promise<Map<string, string[]>> {
  const r = await unik(Deno.cwd(), ["help", "devices"]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split("\n");
  const header = lines.findIndex((l) => l.startsWith("CONFIG.TS"));
  return new Map(
    lines.slice(header + 1).filter((l) => l !== "").map((l) => {
      const cells = l.split(/\s{2,}/);
      return [cells[0], cells];
    }),
  );
}

Deno.test("help devices lists every standard device mirage has, under both names", async () => {
  const rows = await deviceRows();
  for (const [family, names] of Object.entries(PLUGIN_NAMES)) {
    for (const name of names) {
      const row = rows.get(name);
      assert.ok(row, `${name} is listed`);
      assert.equal(row[3], family, `${name}'s plugin`);
      assert.equal(row[1], name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase());
    }
  }
});

Deno.test("help devices lists every device a standard plugin exports", async () => {
  const rows = await deviceRows();
  for await (const f of Deno.readDir(join(REPO, "plugins"))) {
    const module = await import(`../plugins/${f.name}`);
    for (const [name, value] of Object.entries(module)) {
      if (value instanceof Impl) assert.ok(rows.has(name), `${f.name}: ${name} is listed`);
    }
  }
  assert.ok(rows.size >= 70, `${rows.size} devices`);
});

Deno.test("help devices gives each device's module type and the targets it supports", async () => {
  const rows = await deviceRows();
  assert.deepEqual(rows.get("blockOfFile")!.slice(2, 3), ["block"]);
  assert.doesNotMatch(rows.get("blockOfFile")![4], /muen/, "no file blocks on Muen");
  assert.equal(rows.get("blockOfXenstoreId")![4], "xen,qubes");
  assert.equal(rows.get("socketStackv4v6")![4], "unix,macosx");
  assert.equal(rows.get("genericStackv4v6")![4], "all");
  assert.equal(rows.get("crunch")![2], "kv_ro");
  assert.equal(rows.get("defaultReporter")![2], "job");
  assert.equal(rows.get("directTcp")![2], "tcpv4 | tcpv6 | tcpv4v6", "one per IP kind");
});

Deno.test("help device NAME takes the config.ts name or mirage's, and shows options and an example", async () => {
  const ts = await unik(Deno.cwd(), ["help", "device", "genericBlock"]);
  const ml = await unik(Deno.cwd(), ["help", "device", "generic_block"]);
  assert.equal(ts.code, 0, ts.stderr);
  assert.equal(ts.stdout, ml.stdout);
  assert.match(
    ts.stdout,
    /^genericBlock \(mirage: generic_block\), from unik\/plugins\/block\.ts$/m,
  );
  assert.match(ts.stdout, /^Module type {2}block$/m);
  assert.match(ts.stdout, /^ {2}group\?: string +Prefix of the key's flag/m);
  assert.match(ts.stdout, /^ {2}import \{ genericBlock \} from "unik\/plugins\/block\.ts";$/m);
  assert.match(ts.stdout, /^ {2}const device = genericBlock\("storage"\);$/m);
});

Deno.test("help device without a name says how to find one", async () => {
  const r = await unik(Deno.cwd(), ["help", "device"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /'unik help device' needs a device name/);
});

Deno.test("every device's example is config.ts code that configures", async () => {
  const devices = await standardDevices();
  assert.ok(devices.every((d) => d.example !== ""), "an example for each");
  const stack = devices.find((d) => d.source.name === "pafServer")!;
  const dir = await copyOf("examples/hello");
  const lines = stack.example.split("\n");
  const config = [
    'import { apply, fn, httpServer, job, main, register } from "unik";',
    ...lines.slice(0, -1),
    lines.at(-1),
    'const app = main("Unikernel.Make", fn(httpServer, job));',
    'export default register("web", [apply(app, device)]);',
  ].join("\n");
  await Deno.writeTextFile(join(dir, "config.ts"), config);
  const r = await unik(dir, ["query", "main.ml", "-t", "hvt"]);
  assert.equal(r.code, 0, `${config}\n${r.stderr}`);
  assert.match(r.stdout, /Paf_mirage\.Make/);
});

Deno.test("a new exported device appears without any table to update", () => {
  const source = `
/** A LED. */
export function led(pin: number): Impl<"led"> {
  return impl("Led", ledType);
}
/** Not a device. */
export function pinOf(n: number): number {
  return n;
}`;
  const parsed = parsePluginSource("acme", source);
  assert.deepEqual(parsed.devices.map((d) => [d.name, d.doc, d.result]), [
    ["led", "A LED.", 'Impl<"led">'],
  ]);
});

Deno.test("help targets lists each target with what it generates, needs and runs", async () => {
  const r = await unik(Deno.cwd(), ["help", "targets"]);
  assert.equal(r.code, 0, r.stderr);
  for (const t of TARGETS) assert.ok(r.stdout.includes(`\n${t.name}: ${t.description}\n`), t.name);
  const block = (name: string) => r.stdout.split("\n\n").find((b) => b.startsWith(`${name}:`))!;
  assert.match(block("hvt"), /generates {2}dist\/NAME\.hvt, mirage\/manifest\.json/);
  assert.match(block("hvt"), /builds {5}with the solo5 ocamlfind toolchain, solo5-elftool/);
  assert.match(block("hvt"), /runs {7}solo5-hvt$/m);
  assert.match(block("virtio"), /runs {7}qemu-system-x86_64$/m);
  assert.match(block("xen"), /dist\/NAME\.xl/);
  assert.match(block("unix"), /runs {7}the artifact itself/);
  assert.match(block("muen"), /runs {7}not started by unik: /);
});
