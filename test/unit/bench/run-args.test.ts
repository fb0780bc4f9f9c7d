import { parseArgs } from '../../../bench/run';

describe('bench arguments', () => {
  it('measures every group unless --only names some', () => {
    expect(parseArgs([]).only).toBeUndefined();
    expect([...parseArgs(['--only', 'latency,ingest']).only!]).toEqual(['latency', 'ingest']);
  });

  it.each([[['--only']], [['--only', 'latency,speed']], [['--only', ',']]])('refuses %j, naming the groups it takes', (argv) => {
    expect(() => parseArgs(argv)).toThrow(/--only takes a comma-separated list of latency, projection, replay, cli, ingest, cold, startup, tests/);
  });
});
