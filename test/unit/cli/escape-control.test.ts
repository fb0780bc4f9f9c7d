import { escapeControl } from '../../../cli/escape-control';

describe('escapeControl', () => {
  it.each([
    ['ESC (C0)', 'a\u001b[2Jb', 'a\\u001b[2Jb'],
    ['NUL and newline', '\u0000\n', '\\u0000\\u000a'],
    ['DEL', 'x\u007f', 'x\\u007f'],
    ['C1 CSI', '\u009b31m', '\\u009b31m'],
    ['RLO (bidi override)', 'Ada\u202Egnp.exe', 'Ada\\u202egnp.exe'],
    ['RLI/PDI (bidi isolate)', '\u2067x\u2069', '\\u2067x\\u2069'],
  ])('escapes %s', (_, text, escaped) => {
    expect(escapeControl(text)).toBe(escaped);
  });

  it('leaves ordinary text, accents and emoji alone', () => {
    expect(escapeControl('Zoë paid 5 € 🎉 — ok')).toBe('Zoë paid 5 € 🎉 — ok');
  });

  it('keeps escaped JSON valid and equal to the original value', () => {
    const value = { owner: 'Ada\u202E\u0085' };
    expect(JSON.parse(escapeControl(JSON.stringify(value)))).toEqual(value);
  });
});
