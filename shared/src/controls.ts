// C0 controls, DEL and C1 controls: what a terminal obeys (ESC starts colours, cursor moves,
// screen clears and OSC 8 links; CSI is ESC [ in one C1 character).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * Text from outside (a notification's unsigned fields, a receiver's reply, a note) made safe to
 * show, on a terminal or a page: each control character written as an escape (`\x1b`), so none
 * can clear a screen, recolour it, open a link or hide text. The one place this is done, for the
 * `igepay` command and the dashboard alike.
 */
export function showControls(text: string): string {
  return text.replace(CONTROLS, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
