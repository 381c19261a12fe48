/**
 * Text from the sandbox (a plugin's or config's error message, notice, help text, printed
 * output) reaches the user's terminal: terminal control sequences in it could rewrite the
 * screen, hide a warning or set the window title. Only printable text, tabs and newlines pass.
 * @module
 */

// C0 controls but tab and newline, DEL, and the C1 controls (0x80-0x9f, which some terminals
// read as ESC-sequences too).
// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** `text` without terminal control characters (tabs and newlines kept). */
export function stripControl(text: string): string {
  return text.replace(CONTROL, "");
}
