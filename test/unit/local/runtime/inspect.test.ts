import { inspectBannerLines, inspectBasePort, inspectFlag, parseInspectValues, resolveInspectTargets } from '../../../../local/runtime/inspect';

const functions = [
  { displayName: 'query', logicalId: 'QueryFunction22F86FFC', functionName: 'sluice-dev-query' },
  { displayName: 'projector', logicalId: 'ProjectorFunction325B6222', functionName: 'sluice-dev-projector' },
  { displayName: 'ingest', logicalId: 'IngestFunctionB02ED0EB', functionName: 'sluice-dev-ingest' },
];

describe('parseInspectValues', () => {
  it('takes repeated and comma-separated names, each with an optional port', () => {
    expect(parseInspectValues(['projector', 'query=9300, ingest'])).toEqual([{ name: 'projector' }, { name: 'query', port: 9300 }, { name: 'ingest' }]);
  });

  it.each([[''], ['query='], ['query=http'], ['query=70000'], ['query=1=2'], ['=9229']])('refuses %p, showing it', (value) => {
    expect(() => parseInspectValues([value])).toThrow(/--inspect/);
  });
});

describe('inspectBasePort', () => {
  it('is 9229 unless SLUICE_INSPECT_PORT says otherwise', () => {
    expect(inspectBasePort({})).toBe(9229);
    expect(inspectBasePort({ SLUICE_INSPECT_PORT: '9400' })).toBe(9400);
    expect(() => inspectBasePort({ SLUICE_INSPECT_PORT: 'x' })).toThrow('SLUICE_INSPECT_PORT: "x" is not a port');
  });
});

describe('resolveInspectTargets', () => {
  it('gives each function base + its index in name order, so the port does not depend on what else is inspected', () => {
    expect(resolveInspectTargets([{ name: 'query' }], functions, 9229)).toEqual([{ functionName: 'sluice-dev-query', displayName: 'query', port: 9231 }]);
    expect(resolveInspectTargets([{ name: 'projector' }, { name: 'query' }], functions, 9229).map((t) => t.port)).toEqual([9230, 9231]);
  });

  it('accepts the short name, the logical id with or without its hash, and the physical name, in any case', () => {
    for (const name of ['projector', 'ProjectorFunction325B6222', 'projectorfunction', 'sluice-dev-projector']) {
      expect(resolveInspectTargets([{ name }], functions, 9229)).toEqual([{ functionName: 'sluice-dev-projector', displayName: 'projector', port: 9230 }]);
    }
  });

  it('uses an explicit port and names one function once', () => {
    expect(resolveInspectTargets([{ name: 'ingest' }, { name: 'ingest', port: 9500 }], functions, 9229)).toEqual([
      { functionName: 'sluice-dev-ingest', displayName: 'ingest', port: 9500 },
    ]);
  });

  it('refuses an unknown name, listing every known function', () => {
    expect(() => resolveInspectTargets([{ name: 'projecter' }], functions, 9229)).toThrow(
      '--inspect projecter: no such function. Known functions: ingest (IngestFunctionB02ED0EB, sluice-dev-ingest), projector (ProjectorFunction325B6222, sluice-dev-projector), query (QueryFunction22F86FFC, sluice-dev-query)',
    );
  });

  it('refuses two functions on one port', () => {
    expect(() => resolveInspectTargets([{ name: 'ingest', port: 9230 }, { name: 'projector' }], functions, 9229)).toThrow(
      'ingest and projector would both listen on port 9230',
    );
  });
});

describe('inspector flag and banner', () => {
  it('listens on loopback only', () => {
    expect(inspectFlag(9231)).toBe('--inspect=127.0.0.1:9231');
  });

  it('prints one line per inspected function with its port, and nothing without any', () => {
    expect(inspectBannerLines([])).toEqual([]);
    expect(inspectBannerLines([{ functionName: 'sluice-dev-query', displayName: 'query', port: 9231 }]).join('\n')).toMatch(/query\s+127\.0\.0\.1:9231/);
  });
});
