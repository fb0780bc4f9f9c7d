import { diffApps, isEmptyDiff } from '../../../../local/watch/app-diff';
import { appReloadLines } from '../../../../local/watch/app-reload';
import { localApp as app, localFunction as fn, localQueue as queue, localStreamMapping as mapping, localTable as table } from '../../../support/factories/local-app';

describe('diffApps', () => {
  it('finds nothing to do when only the asset folders differ (code is compared by content hash)', () => {
    const running = app();
    const next = app({ cloudAssemblyDir: '/other', functions: running.functions.map((f) => ({ ...f, assetDir: `/other/${f.displayName}` })) });
    expect(isEmptyDiff(diffApps(running, next))).toBe(true);
  });

  it('creates new tables, queues, functions and mappings, and leaves the existing ones alone', () => {
    const running = app();
    const next = app({
      tables: [...running.tables, table('audit')],
      queues: [...running.queues, queue('probe')],
      functions: [...running.functions, fn('auditor')],
      mappings: [...running.mappings, mapping('AuditorMapping', { functionName: 'sluice-dev-auditor' })],
    });
    const diff = diffApps(running, next);
    expect(diff.create.tables.map((t) => t.tableName)).toEqual(['audit']);
    expect(diff.create.queues.map((q) => q.queueName)).toEqual(['probe']);
    expect(diff.create.functions.map((f) => f.displayName)).toEqual(['auditor']);
    expect(diff.create.mappings.map((m) => m.logicalId)).toEqual(['AuditorMapping']);
    expect(diff.reconfigure).toEqual([]);
    expect(diff.needsRestart).toEqual([]);
  });

  it.each([
    ['environment', { environment: { TABLE: 'balances-v2' } }],
    ['timeout', { timeoutSeconds: 60 }],
    ['memory', { memorySize: 512 }],
    ['reserved concurrency', { reservedConcurrency: 2 }],
  ])('swaps a function whose %s changed', (_what, change) => {
    const running = app();
    const diff = diffApps(running, app({ functions: [fn('projector', change), fn('query')] }));
    expect(diff.reconfigure.map((f) => f.displayName)).toEqual(['projector']);
    expect(diff.reconfigure[0]).toMatchObject(change);
    expect(diff.needsRestart).toEqual([]);
  });

  it('keeps a function whose runtime changed as it is and says a restart applies it', () => {
    const diff = diffApps(app(), app({ functions: [fn('projector', { runtime: 'nodejs22.x' }), fn('query')] }));
    expect(diff.reconfigure).toEqual([]);
    expect(diff.keepAsIs).toEqual(['sluice-dev-projector']);
    expect(diff.needsRestart).toEqual(['function projector: runtime or architecture changed']);
  });

  it.each([
    ['a changed key schema', app({ tables: [table('balances', { keySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] })] }), /^table balances: key schema/],
    ['a new index', app({ tables: [table('balances', { globalSecondaryIndexes: [{ IndexName: 'byOwner' }] })] }), /^table balances: key schema, indexes/],
    ['a removed table', app({ tables: [] }), /^table balances was removed$/],
    ['a removed function', app({ functions: [fn('projector')] }), /^function sluice-dev-query was removed$/],
    ['changed queue attributes', app({ queues: [queue('work', { visibilityTimeoutSeconds: 90 })] }), /^queue work: attributes changed$/],
    [
      'a changed mapping',
      app({ mappings: [mapping('ProjectorMapping', { batchSize: 10 })] }),
      /^event source mapping ProjectorMapping \(sluice-dev-projector\): settings changed$/,
    ],
    ['a removed mapping', app({ mappings: [] }), /^event source mapping ProjectorMapping was removed$/],
    ['a changed API', app({ api: { logicalId: 'Api', stageName: 'dev', routes: [], gatewayResponses: [] } }), /^the HTTP API/],
  ])('needs a restart for %s, and creates nothing', (_what, next, line) => {
    const diff = diffApps(app(), next);
    expect(diff.needsRestart).toEqual([expect.stringMatching(line)]);
    expect(Object.values(diff.create).flat()).toEqual([]);
  });

  it('compares a DynamoDB mapping without the stream ARN provisioning fills in', () => {
    const dynamo = mapping('RelayMapping', { kind: 'dynamodb', sourceArn: 'arn:...:table/events/stream/2026' });
    const diff = diffApps(app({ mappings: [dynamo] }), app({ mappings: [{ ...dynamo, sourceArn: 'arn:...:table/events/stream/pending' }] }));
    expect(isEmptyDiff(diff)).toBe(true);
  });
});

describe('appReloadLines', () => {
  it('says what was created and reloaded, then what needs a restart, naming npm start', () => {
    const running = app();
    const diff = diffApps(running, app({ queues: [...running.queues, queue('probe')], tables: [] }));
    const lines = appReloadLines({ diff, reloaded: ['query'] }, 12_345);
    expect(lines).toEqual([
      '↻ applied the lib/ change in 12.3 s: created queue probe; reloaded query',
      '⚠ not applied in place — restart npm start (Ctrl-C, then npm start) to apply: table balances was removed',
    ]);
  });

  it('says when there was nothing to apply', () => {
    expect(appReloadLines({ diff: diffApps(app(), app()), reloaded: [] }, 900)).toEqual(['↻ applied the lib/ change in 0.9 s: nothing to apply']);
  });
});
