/**
 * Colour for people, never for machines: on only when the stream is a terminal and `NO_COLOR` is
 * not set to a non-empty value (https://no-color.org), so pipes, files, `--json` and CI logs get
 * plain text.
 */
export function colourOn(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  return stream.isTTY === true;
}

/** SGR codes of the few colours the CLI uses. */
const CODES = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;
export type Colour = keyof typeof CODES;

/** A painter for one stream: `paint('red', 'failed')`, which is the text itself when colour is off. */
export type Paint = (colour: Colour, text: string) => string;

export function painter(on: boolean): Paint {
  return (colour, text) => (on && text ? `\u001b[${CODES[colour]}m${text}\u001b[0m` : text);
}

/** Paints for stdout / stderr as they are now. */
export const out: Paint = (colour, text) => painter(colourOn(process.stdout))(colour, text);
export const err: Paint = (colour, text) => painter(colourOn(process.stderr))(colour, text);
