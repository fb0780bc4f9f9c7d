import { colourOn, painter } from '../../../cli/colour';

describe('colour', () => {
  it.each([
    ['a terminal', true, {}, true],
    ['a pipe or a file', false, {}, false],
    ['a terminal with NO_COLOR=1', true, { NO_COLOR: '1' }, false],
    ['a terminal with NO_COLOR set to anything', true, { NO_COLOR: 'false' }, false],
    ['a terminal with NO_COLOR empty (no-color.org: only a non-empty value counts)', true, { NO_COLOR: '' }, true],
  ])('on %s: %s', (_, isTTY, env, on) => {
    expect(colourOn({ isTTY }, env)).toBe(on);
  });

  it('paints with SGR codes when on, and leaves the text as it is when off', () => {
    expect(painter(true)('red', 'failed')).toBe('\u001b[31mfailed\u001b[0m');
    expect(painter(true)('green', 'ok')).toBe('\u001b[32mok\u001b[0m');
    expect(painter(false)('red', 'failed')).toBe('failed');
    expect(painter(true)('red', '')).toBe('');
  });
});
