// How a step shows its progress: a status line redrawn in place on a terminal, prefixed lines
// elsewhere (lib/toolchain/progress.ts).
import assert from "node:assert/strict";
import { cleanLine, statusLine, StepProgress } from "../lib/toolchain/progress.ts";

function sink(live: boolean, columns = 80) {
  const written: string[] = [];
  return { written, sink: { live, columns, write: (t: string) => void written.push(t) } };
}

Deno.test("the status line shows the step, its elapsed time and the tool's latest line", () => {
  assert.equal(statusLine("pull", 12.34, "fetching lwt", 80), "• pull 12.3s │ fetching lwt");
  assert.equal(statusLine("pull", 0, "", 80), "• pull 0.0s");
});

Deno.test("the status line is cut to the terminal's width", () => {
  const line = statusLine("pull monorepo dependencies", 1, "x".repeat(200), 40);
  assert.equal(line.length, 39);
  assert.ok(line.endsWith("…"));
});

Deno.test("a tool's escape sequences and control characters never reach the status line", () => {
  assert.equal(cleanLine("\x1b[1;31mError\x1b[0m: bad\x07  "), "Error: bad");
});

Deno.test("on a terminal each new line redraws the status line in place, and finish clears it", () => {
  const { written, sink: s } = sink(true);
  const p = new StepProgress(s, "build the unikernel", "dune");
  p.output("Compiling unikernel\nLinking");
  // deno-lint-ignore no-control-regex
  assert.match(written.join(""), /\r\x1b\[2K• build the unikernel \d+\.\ds │ Compiling unikernel/);
  p.finish();
  assert.match(
    written.join(""),
    // deno-lint-ignore no-control-regex
    /│ Linking\r\x1b\[2K$/,
    "the last partial line is shown, then cleared",
  );
  assert.ok(!written.join("").includes("\n"), "a status line never scrolls");
});

Deno.test("the partial lines of standard output and error never merge", () => {
  const { written, sink: s } = sink(false);
  const p = new StepProgress(s, "pull", "pull");
  p.output("fetch", "stdout");
  p.output("warning\n", "stderr");
  p.output("ing lwt\n", "stdout");
  p.finish();
  assert.deepEqual(written, ["  [pull] warning\n", "  [pull] fetching lwt\n"]);
});

Deno.test("off a terminal every line is printed once, prefixed with the step's label", () => {
  const { written, sink: s } = sink(false);
  const p = new StepProgress(s, "pull", "pull");
  p.output("one\r\ntwo\n\nthr");
  p.output("ee");
  p.finish();
  assert.deepEqual(written, ["  [pull] one\n", "  [pull] two\n", "  [pull] three\n"]);
});
