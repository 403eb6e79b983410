/**
 * Text from a server on its way to a terminal: its stderr and log messages go to ours, and an
 * escape sequence in them could move the cursor, retitle the window, write the clipboard (OSC 52)
 * or forge links (OSC 8). Control sequences are removed and other control characters shown as
 * escapes; JSON lines on stdout additionally escape the C1 controls JSON.stringify leaves raw.
 */

/* eslint-disable no-control-regex -- matching control characters is the point of this file */
// OSC … (BEL | ST), DCS/SOS/PM/APC … ST, CSI … final byte, and two-character ESC sequences; also their 8-bit C1 forms.
const CONTROL_SEQUENCE =
  /(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?|(?:\x1b[PX^_]|[\x90\x98\x9e\x9f])[^\x1b\x9c]*(?:\x1b\\|\x9c)?|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?|\x1b[ -/]*[0-~]?/g;
// Other C0 controls (tab kept), DEL and C1 controls.
const CONTROL_CHARACTER = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/g;

const escape = (c: string) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;

/** One line safe to write to a terminal: control sequences dropped, other controls escaped. */
export function terminalSafe(text: string): string {
  return text.replace(CONTROL_SEQUENCE, '').replace(CONTROL_CHARACTER, escape);
}

/** One JSON line for stdout; C1 controls (which JSON.stringify leaves raw) as \\u escapes. */
export function jsonLine(value: unknown): string {
  return `${JSON.stringify(value).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}
