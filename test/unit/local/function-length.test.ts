import path from 'node:path';
import { measureFunctions, measureSource, type FunctionLength } from '../../support/function-lengths';

/**
 * No function in the local cloud is 80 lines or longer (STYLE.md §21: an orchestrator reads like
 * a table of contents, none longer than a screen). Every function, method, constructor, accessor
 * and arrow function under local/ is measured from its first to its last line, nested functions
 * included.
 */
const LOCAL_DIR = path.resolve(__dirname, '../../../local');
const LIMIT = 80;

const describeLength = (f: FunctionLength) => `local/${f.file}:${f.line} ${f.name} (${f.lines} lines)`;

describe('function length in local/', () => {
  const functions = measureFunctions(LOCAL_DIR);

  it(`has no function of ${LIMIT} lines or more`, () => {
    const offenders = functions.filter((f) => f.lines >= LIMIT).map(describeLength);
    expect(offenders).toEqual([]);
  });

  it('walks the folders under local/', () => {
    expect(functions.some((f) => f.file === path.join('endpoint', 'index.ts') && f.name === 'startAwsEndpoint')).toBe(true);
    expect(functions.some((f) => f.file === path.join('template', 'loader.ts') && f.name === 'buildLocalApp')).toBe(true);
  });
});

describe('measureSource', () => {
  const body = (lines: number) => Array.from({ length: lines - 2 }, (_, i) => `  const v${i} = ${i};`).join('\n');

  it('counts a function from its first to its last line, nested functions included', () => {
    const source = `export function outer() {\n${body(10)}\n  const inner = () => {\n${body(5)}\n  };\n}\n`;
    expect(measureSource('x.ts', source).map(({ name, line, lines }) => ({ name, line, lines }))).toEqual([
      { name: 'outer', line: 1, lines: 15 },
      { name: 'inner <arrow>', line: 10, lines: 5 },
    ]);
  });

  it.each([
    ['a method', `class A {\n  run() {\n${body(80)}\n  }\n}`, 'run'],
    ['a constructor', `class A {\n  constructor() {\n${body(80)}\n  }\n}`, 'constructor'],
    ['an arrow bound to a property', `const o = {\n  go: () => {\n${body(80)}\n  },\n};`, 'go <arrow>'],
    ['a function expression', `setTimeout(function () {\n${body(80)}\n});`, '<function>'],
  ])('finds %s of 80 lines', (_kind, source, name) => {
    expect(
      measureSource('x.ts', source)
        .filter((f) => f.lines >= LIMIT)
        .map((f) => f.name),
    ).toEqual([name]);
  });
});
