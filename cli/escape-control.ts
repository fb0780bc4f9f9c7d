/**
 * Makes untrusted text safe to print on a terminal: what the stream or a queue holds was written
 * by anyone who could put a record there, and an ESC sequence or a bidi override in it could
 * rewrite the screen or disguise what is shown ("Trojan Source").
 */

/**
 * The characters escaped: C0 controls (U+0000–U+001F), DEL and C1 controls (U+007F–U+009F), and
 * the bidirectional formatting characters the API's input rules refuse (U+061C, U+200E, U+200F,
 * U+202A–U+202E, U+2066–U+2069; see lambdas/shared/input-rules.ts).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are what gets escaped
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` with every unsafe character written as a `\uXXXX` escape (a backslash already in the
 * text is left alone: JSON output escapes its own, and the pretty line only needs to be safe).
 *
 * @example
 * escapeControl('a\u001b[2Jb') // 'a\\u001b[2Jb'
 */
export function escapeControl(text: string): string {
  return text.replace(UNSAFE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
