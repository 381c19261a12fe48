// "Did you mean ...?": a mistyped command, option, config key, plugin command, help topic or
// device is answered with the nearest known name (lib/cli/suggest.ts).
import assert from "node:assert/strict";
import { copyOf, snapshot, unik } from "./helpers.ts";
import { didYouMean, editDistance, nearest } from "../lib/cli/suggest.ts";
import { firstUnknownOption } from "../lib/cli/unknown_options.ts";

Deno.test("the edit distance counts a swap of two neighbours as one edit", () => {
  assert.equal(editDistance("tagret", "target"), 1);
  assert.equal(editDistance("confgure", "configure"), 1);
  assert.equal(editDistance("kitten", "sitting"), 3);
  assert.equal(editDistance("", "abc"), 3);
  assert.equal(editDistance("same", "same"), 0);
});

Deno.test("the nearest names: a prefix first, else the closest within a third of the length", () => {
  assert.deepEqual(nearest("conf", ["configure", "clean", "check"]), ["configure"]);
  assert.deepEqual(nearest("claen", ["configure", "clean", "check"]), ["clean"]);
  assert.deepEqual(nearest("xyzzy", ["configure", "clean", "check"]), [], "nothing near");
  assert.deepEqual(nearest("nope", ["mode", "no-eval"]), [], "2 edits in 4 letters is too far");
  assert.equal(didYouMean("xyzzy", ["clean"]), "");
  assert.equal(
    didYouMean("devics", ["devices", "device"]),
    ", did you mean 'devices' or 'device'?",
  );
});

Deno.test("an unknown command suggests the nearest one", async () => {
  const r = await unik(Deno.cwd(), ["confgure"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^unik: unknown command 'confgure', did you mean 'configure'\?\n/);
  const far = await unik(Deno.cwd(), ["xyzzy"]);
  assert.match(far.stderr, /^unik: unknown command 'xyzzy'\n {2}hint: commands: init, /);
});

Deno.test("an unknown option suggests the nearest one, the config's keys included", async () => {
  const dir = await copyOf("examples/hello");
  const target = await unik(dir, ["configure", "--tagret", "unix"]);
  assert.equal(target.code, 2);
  assert.match(target.stderr, /^unik: unknown option '--tagret', did you mean '--target'\?\n/);
  assert.match(target.stderr, /hint: 'unik configure --help' lists the options and keys/);
  const keys = await copyOf("tests/fixtures/configs/keys");
  const key = await unik(keys, ["configure", "--fats=true"]);
  assert.match(key.stderr, /unknown option '--fats', did you mean '--fast'\?/);
  const describe = await unik(dir, ["describe", "--dot-comand=xdot"]);
  assert.match(describe.stderr, /unknown option '--dot-comand', did you mean '--dot-command'\?/);
  assert.equal((await snapshot(dir)).size, 2, "nothing written");
});

Deno.test("an option's value is never taken for an unknown option", async () => {
  const dir = await copyOf("tests/fixtures/configs/keys");
  const r = await unik(dir, ["query", "name", "--greeting", "--hello", "--nope"]);
  assert.match(r.stderr, /unknown option '--nope'/);
});

Deno.test("an unknown global option suggests the nearest common option", async () => {
  const r = await unik(Deno.cwd(), ["--verison"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^unik: unknown option '--verison', did you mean '--version'\?/);
});

Deno.test("an unknown plugin command or plugin option suggests the nearest one", async () => {
  const cmd = await unik(Deno.cwd(), ["plugin", "lst"]);
  assert.equal(cmd.code, 2);
  assert.match(cmd.stderr, /^unik: unknown plugin command 'lst', did you mean 'list'\?/);
  const option = await unik(Deno.cwd(), ["plugin", "search", "--registy", "x"]);
  assert.match(option.stderr, /unknown option '--registy', did you mean '--registry'\?/);
});

Deno.test("migrate's and init's unknown options suggest the nearest one", async () => {
  const migrate = await unik(Deno.cwd(), ["migrate", "--stdot"]);
  assert.match(migrate.stderr, /unknown option '--stdot', did you mean '--stdout'\?/);
  const init = await unik(Deno.cwd(), ["init", "--hepl"]);
  assert.match(init.stderr, /unknown option '--hepl', did you mean '--help'\?/);
});

Deno.test("an unknown help topic or device suggests the nearest one", async () => {
  const topic = await unik(Deno.cwd(), ["help", "devics"]);
  assert.equal(topic.code, 2);
  assert.match(topic.stderr, /unknown help topic 'devics', did you mean 'devices' or 'device'\?/);
  const device = await unik(Deno.cwd(), ["help", "device", "blockOfFil"]);
  assert.equal(device.code, 2);
  assert.match(
    device.stderr,
    /no standard device is named 'blockOfFil', did you mean 'blockOfFile'/,
  );
});

Deno.test("an unknown query INFO suggests the nearest one", async () => {
  const dir = await copyOf("examples/hello");
  const r = await unik(dir, ["query", "nmae"]);
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /invalid value 'nmae' for INFO, did you mean 'name'\? expected one of name, /,
  );
});

Deno.test("the option scanner skips option values, reads grouped short flags and stops at --", () => {
  const declared = {
    flags: new Set(["dry-run", "help"]),
    options: new Set(["file", "target"]),
    shortFlags: new Set(["h", "x"]),
    shortOptions: new Set(["f", "t"]),
  };
  assert.equal(firstUnknownOption(["--file", "--odd", "--dry-run"], declared), undefined);
  assert.equal(firstUnknownOption(["--file=a", "--odd"], declared), "--odd");
  assert.equal(firstUnknownOption(["-xh", "-t", "-z"], declared), undefined, "-z is -t's value");
  assert.equal(firstUnknownOption(["-xz"], declared), "-z");
  assert.equal(firstUnknownOption(["-ttarget", "-q"], declared), "-q");
  assert.equal(firstUnknownOption(["--", "--odd"], declared), undefined);
});
