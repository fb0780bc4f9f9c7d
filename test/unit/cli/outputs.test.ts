import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UsageError } from '../../../cli/errors';
import { LOCAL_OUTPUTS_FILE, loadOutputs, outputsFileFor, outputsFileOf, parseOutputs, writeLocalOutputs } from '../../../cli/outputs';

const cdkShape = { 'sluice-dev-stateful': { EventsStreamName: 'events' }, 'sluice-dev-stateless': { ApiUrl: 'http://api/', ApiKeyId: 'abc123' } };

describe('which outputs file a command reads', () => {
  it.each([
    ['nothing: the local cloud', {}, {}, '.sluice/outputs.local.json'],
    ['$SLUICE_OUTPUTS_FILE', {}, { SLUICE_OUTPUTS_FILE: 'env.json' }, 'env.json'],
    ['--stage over $SLUICE_OUTPUTS_FILE', { stage: 'prod' }, { SLUICE_OUTPUTS_FILE: 'env.json' }, '.sluice/outputs.prod.json'],
    ['--outputs over $SLUICE_OUTPUTS_FILE', { outputs: 'flag.json' }, { SLUICE_OUTPUTS_FILE: 'env.json' }, 'flag.json'],
    ['--stage local: the local cloud', { stage: 'local' }, {}, '.sluice/outputs.local.json'],
  ])('%s', (_, choice, env, file) => {
    expect(outputsFileOf(choice, env)).toBe(file);
  });

  it('refuses --stage with --outputs, saying what --stage would read', () => {
    expect(() => outputsFileOf({ stage: 'dev', outputs: 'f.json' }, {})).toThrow(
      new UsageError('give --outputs f.json or --stage dev, not both (--stage dev reads .sluice/outputs.dev.json)'),
    );
  });

  it.each(['Dev', '../etc', 'dev/x', '', '9lives'])('refuses the stage name %j', (stage) => {
    expect(() => outputsFileFor(stage)).toThrow(/is not a stage name \(lower-case letters, digits and -, starting with a letter/);
  });

  it('the local cloud writes the file the CLI reads by default', () => {
    expect(LOCAL_OUTPUTS_FILE).toBe(outputsFileOf({}, {}));
  });
});

describe('the shapes of an outputs file', () => {
  it('cdk deploy --outputs-file: nested by stack, merged', () => {
    expect(parseOutputs(cdkShape, 'f')).toEqual({
      file: 'f',
      values: { EventsStreamName: 'events', ApiUrl: 'http://api/', ApiKeyId: 'abc123' },
      stacks: ['sluice-dev-stateful', 'sluice-dev-stateless'],
      localCloud: false,
    });
  });

  it('flat: output names to values', () => {
    expect(parseOutputs({ ApiUrl: 'http://api/' }, 'f')).toEqual({ file: 'f', values: { ApiUrl: 'http://api/' }, stacks: [], localCloud: false });
  });

  it.each([
    ['a stack whose outputs are not strings', { s: { ApiUrl: 3 } }, '"s" is {"ApiUrl":3}'],
    ['strings and stacks mixed', { ApiUrl: 'x', s: {} }, '"ApiUrl" is "x"'],
    ['an array', ['ApiUrl'], undefined],
  ])('refuses %s, showing both shapes', (_, parsed, detail) => {
    const call = () => parseOutputs(parsed, 'f.json');
    expect(call).toThrow(UsageError);
    expect(call).toThrow(/expected \{"<stack>": \{"<OutputName>": "<value>"\}\} as cdk deploy --outputs-file writes it, or \{"<OutputName>": "<value>"\}/);
    if (detail) expect(call).toThrow(detail);
  });

  it("the local cloud's file is marked, and the marker is neither a stack nor an output", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-outputs-')), 'deep', 'outputs.local.json');
    writeLocalOutputs(file, cdkShape);
    const outputs = loadOutputs(file);
    expect(outputs).toEqual({ file, values: parseOutputs(cdkShape, file).values, stacks: ['sluice-dev-stateful', 'sluice-dev-stateless'], localCloud: true });
    // Still the cdk deploy --outputs-file shape for jq and other readers.
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject(cdkShape);
  });
});
