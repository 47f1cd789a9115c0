// C0 controls, DEL and C1 controls: what a terminal obeys (ESC starts colours, cursor moves,
// screen clears and OSC 8 links; CSI is ESC [ in one C1 character). And Unicode's
// bidirectional controls (the Arabic letter mark, LRM and RLM, embeddings, overrides and
// isolates): after one, text reads in another order than it is stored, on a page as on a
// terminal, so a name could make the words after it say something else.
const CONTROLS =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from outside (a notification's unsigned fields, a receiver's reply, a note) made safe to
 * show, on a terminal or a page: each control character written as an escape (`\x1b`,
 * `\u202e`), so none can clear a screen, recolour it, open a link, hide text or reorder it.
 * The one place this is done, for the `igepay` command and the dashboard alike.
 */
export function showControls(text: string): string {
  return text.replace(CONTROLS, (char) => {
    const code = char.charCodeAt(0);
    return code > 0xff
      ? `\\u${code.toString(16).padStart(4, '0')}`
      : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}
