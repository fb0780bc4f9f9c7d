import * as path from 'node:path';
import type { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { JmesPathNotBundledError, search } from '../../../../lambdas/shared/bundle-aliases/jmespath';
import { idempotencyConfig as commandConfig } from '../../../../lambdas/shared/http/idempotency';
import { idempotencyConfig as notificationConfig } from '../../../../lambdas/notification-worker/handler';

/** The JMESPath package Powertools idempotency itself imports (its own nested copy, when there is one). */
const POWERTOOLS_JMESPATH = require.resolve('@aws-lambda-powertools/jmespath', {
  paths: [path.dirname(require.resolve('@aws-lambda-powertools/idempotency'))],
});
const realSearch = jest.requireActual<{ search: typeof search }>(POWERTOOLS_JMESPATH).search;

/** A persistence layer (the in-memory test one) loaded with `jmespath` as the module idempotency imports. */
function persistenceLayerWith(jmespath: 'real' | 'stand-in', config: IdempotencyConfig): BasePersistenceLayer {
  let layer: BasePersistenceLayer | undefined;
  jest.isolateModules(() => {
    if (jmespath === 'stand-in') jest.doMock(POWERTOOLS_JMESPATH, () => jest.requireActual('../../../../lambdas/shared/bundle-aliases/jmespath'));
    const { InMemoryIdempotencyStore } = jest.requireActual<typeof import('../../../helpers/in-memory-idempotency-store')>(
      '../../../helpers/in-memory-idempotency-store',
    );
    layer = new InMemoryIdempotencyStore();
  });
  jest.dontMock(POWERTOOLS_JMESPATH);
  layer!.configure({ config });
  return layer!;
}

const REQUEST = { scope: 'POST /accounts/a1/deposits', key: 'k-1', body: { amount: 50, note: { b: 1, a: [2, 3] } } };
const NOTIFICATION = { notificationId: 'n-01J', accountId: 'a1', kind: 'low-balance', details: { balance: 3 } };

describe('jmespath stand-in (bundled in place of @aws-lambda-powertools/jmespath)', () => {
  it.each([
    ['[scope, key]', REQUEST],
    ['body', REQUEST],
    ['notificationId', NOTIFICATION],
    ['body', { body: undefined }],
    ['body', { other: 1 }],
    ['body', 'a string'],
    ['body', [{ body: 1 }]],
    ['body', null],
    ['[scope, key]', { scope: 's' }],
    ['[scope, key]', null],
    ['[scope, key]', 42],
    ['[ scope ,key ]', REQUEST],
  ])('selects %s from %j exactly as Powertools JMESPath does', (expression, data) => {
    expect(search(expression, data)).toStrictEqual(realSearch(expression, data));
  });

  it.each([
    ['the command functions', commandConfig(), REQUEST],
    ['the notification worker', notificationConfig, NOTIFICATION],
  ])('gives %s the same record key and payload hash as Powertools JMESPath', (_name, config, data) => {
    const real = persistenceLayerWith('real', config);
    const standIn = persistenceLayerWith('stand-in', config);
    const keys = [real, standIn].map((layer) => (layer as unknown as { getHashedIdempotencyKey(data: unknown): string }).getHashedIdempotencyKey(data));
    const payloads = [real, standIn].map((layer) => (layer as unknown as { getHashedPayload(data: unknown): string }).getHashedPayload(data));
    expect(keys[1]).toBe(keys[0]);
    expect(payloads[1]).toBe(payloads[0]);
  });

  it('fails any other expression with an error saying what it supports and how to bundle JMESPath', () => {
    for (const expression of ['body.amount', 'powertools_json(body)', '[*].id', 'a || b']) {
      expect(() => search(expression, REQUEST)).toThrow(JmesPathNotBundledError);
      expect(() => search(expression, REQUEST)).toThrow(`JMESPath expression "${expression}" is not supported`);
    }
    expect(() => search('body.amount', REQUEST)).toThrow(/remove "@aws-lambda-powertools\/jmespath" from BUNDLE_ALIASES in lib\/sluice-function.ts/);
  });
});
