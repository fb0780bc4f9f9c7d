import {
  BATCH_PROFILES,
  batchMilliseconds,
  projectorUnitsPerEvent,
  costPerMillion,
  dynamoUnitsPerAccountEvent,
  dynamoUnitsPerTelemetryEvent,
  parallelizationFactor,
  parseCapacityArgs,
  PRICES_US_EAST_1,
  recommendedMode,
  recordsPerSecondPerShard,
  size,
  standardReadShards,
  viableModes,
  writeShards,
} from '../../../bench/capacity';

// Every expectation below is computed by hand from the quotas and prices in bench/capacity.ts.
describe('capacity calculator', () => {
  describe('writeShards', () => {
    it.each([
      // rate, bytes, shards, why
      [10_000, 1024, 10, 'records bind: 10 000 / 1000; bytes would need 9.77'],
      [1_000, 4096, 4, 'bytes bind: 4 096 000 B/s / 1 048 576 = 3.9'],
      [100_000, 2048, 196, 'bytes bind: 204 800 000 / 1 048 576 = 195.3'],
      [1, 10, 1, 'never fewer than one shard'],
    ])('needs %d events/s × %d B → %d shards (%s)', (rate, bytes, shards) => {
      expect(writeShards(rate, bytes)).toBe(shards);
    });
  });

  describe('standardReadShards', () => {
    it('counts every consumer reading every byte against the shared 2 MiB/s', () => {
      // 4 × 10 000 × 1024 = 40 960 000 B/s / 2 097 152 = 19.53
      expect(standardReadShards(10_000, 1024, 4)).toBe(20);
    });

    it('fits two consumers of 1000 × 1 KB events in one shard', () => {
      // 2 × 1 024 000 = 2 048 000 ≤ 2 097 152
      expect(standardReadShards(1_000, 1024, 2)).toBe(1);
    });
  });

  describe('parallelizationFactor', () => {
    it.each([
      [1000, 10, 10],
      [500, 10, 5],
      [100, 1, 1],
      [0, 5, 1],
    ])('%d records/s per shard at %d ms each needs a factor of %d', (perShard, ms, factor) => {
      expect(parallelizationFactor(perShard, ms)).toBe(factor);
    });
  });

  describe('size', () => {
    it('sizes standard consumers by their reads when four of them need more shards than the writes', () => {
      const sizing = size({ ratePerSecond: 1000, eventBytes: 1024 });

      expect(sizing.shards).toMatchObject({ write: 1, standardRead: 2, provisionedStandard: 2, provisionedEfo: 1, recommendEfo: false });
    });

    it('requires enhanced fan-out from five consumers on, whose GetRecords calls exhaust the 5 per shard per second', () => {
      const sizing = size({ ratePerSecond: 1000, eventBytes: 1024, consumers: 5 });

      expect(sizing.shards).toMatchObject({ recommendEfo: true, getRecordsPerShardPerSecond: 5 });
    });

    it('keeps standard consumers when writes bind and there are few consumers', () => {
      // 2 × 1000 × 100 B = 200 000 B/s of reads: one shard; 2 GetRecords/s ≤ 5
      const sizing = size({ ratePerSecond: 1000, eventBytes: 100, consumers: 2 });

      expect(sizing.shards).toMatchObject({ write: 1, standardRead: 1, recommendEfo: false });
    });

    it('sizes the per-key consumers by their batch time and the others by their per-record time, on one shard of 1000 events/s', () => {
      // 100 B: one shard. projector: a batch of 100 = 10 account events of 10 accounts:
      // 100 × 0.05 ms + ⌈10 / 16⌉ × 10 ms + one 10 ms batch write = 25 ms → 4000 records/s per batch in flight → factor 1.
      // fraud: 90 cards: 5 + ⌈90 / 16⌉ × 8 = 53 ms → 1886 records/s → 1.
      // notifier: 0.9 × 0.05 + 0.1 × 8 = 0.845 ms per record → 1183 records/s → 1.
      const byName = Object.fromEntries(size({ ratePerSecond: 1000, eventBytes: 100 }).consumers.map((c) => [c.name, c]));

      expect(byName.projector).toMatchObject({ parallelizationFactor: 1, concurrency: 1, recordsPerSecondPerShardPerBatch: 4000 });
      expect(byName.notifier).toMatchObject({ parallelizationFactor: 1, concurrency: 1, recordsPerSecondPerShardPerBatch: 1183 });
      expect(byName['fraud-detector']).toMatchObject({ parallelizationFactor: 1, concurrency: 1, recordsPerSecondPerShardPerBatch: 1886 });
    });

    it('spreads the work over the read-sized shards: 2 shards, one batch in flight each', () => {
      const byName = Object.fromEntries(size({ ratePerSecond: 1000, eventBytes: 1024 }).consumers.map((c) => [c.name, c]));

      expect(byName['fraud-detector']).toMatchObject({ parallelizationFactor: 1, concurrency: 2 });
    });

    it('warns about the default quotas a 100k events/s workload exceeds', () => {
      // API: 90 000 / 500 + 10 000 = 10 180 req/s; fraud windows: 90 000 × 2 = 180 000 WRU/s
      const sizing = size({ ratePerSecond: 100_000, eventBytes: 1024 });

      expect(sizing.apiRequestsPerSecond).toBe(10_180);
      expect(sizing.dynamodb.tables.find((t) => t.table === 'fraud windows')).toMatchObject({ writeUnitsPerSecond: 180_000, overQuota: true });
      expect(sizing.warnings.join('\n')).toMatch(/API Gateway: 10,180 requests\/s/);
    });

    it('raises no warning at 1000 events/s', () => {
      expect(size({ ratePerSecond: 1000, eventBytes: 1024 }).warnings).toEqual([]);
    });

    it('keeps the projector at a factor of 1 when one shard carries 1000 events/s of 1000 different accounts', () => {
      // a batch of 100 accounts: 100 × 0.05 + 20 (three rounds shared by the batch) = 25 ms → 4000 records/s per batch in flight ≥ 1000
      const sizing = size({ ratePerSecond: 1000, eventBytes: 100, commandShare: 1, consumers: 1 });

      expect(sizing.consumers).toEqual([{ name: 'projector', parallelizationFactor: 1, concurrency: 1, capped: false, recordsPerSecondPerShardPerBatch: 4000 }]);
    });

    it('takes the projector as long per batch with 5 events per account as with 1: its calls are per batch, not per account', () => {
      // 100 × 0.05 + 20 = 25 ms → 4000 records/s per batch in flight, 20 accounts or 100
      const sizing = size({ ratePerSecond: 1000, eventBytes: 100, commandShare: 1, consumers: 1, eventsPerKey: 5 });

      expect(sizing.consumers[0]).toMatchObject({ parallelizationFactor: 1, recordsPerSecondPerShardPerBatch: 4000 });
    });

    it('refuses fewer than one event per key, naming the value', () => {
      expect(() => size({ ratePerSecond: 1000, eventBytes: 100, eventsPerKey: 0.5 })).toThrow(/events per key must be at least 1 \(got 0.5\)/);
    });

    it('adds up the DynamoDB units of account events and card swipes', () => {
      // account event: 7.02 WRU, 26 RRU (see dynamoUnitsPerAccountEvent); swipe: 2 WRU, 1 RRU
      const sizing = size({ ratePerSecond: 1000, eventBytes: 1024 });

      expect(sizing.dynamodb.writeUnitsPerSecond).toBeCloseTo(100 * 8.02 + 900 * 2, 6);
      // the projector counts its consistent read of the stored event: 2 RRU per account event, not 1
      expect(sizing.dynamodb.readUnitsPerSecond).toBeCloseTo(100 * 26 + 900 * 1, 6);
      expect(sizing.dynamodb.eventStoreWriteUnitsPerSecond).toBe(100);
    });

    it('fails with the value it got for a rate that is not positive', () => {
      expect(() => size({ ratePerSecond: 0, eventBytes: 1024 })).toThrow(/rate must be a positive number of events per second \(got 0\)/);
    });

    it('refuses records larger than Kinesis allows', () => {
      expect(() => size({ ratePerSecond: 1, eventBytes: 2 * 1024 * 1024 })).toThrow(/at most 1 MiB/);
    });
  });

  describe('dynamoUnitsPerAccountEvent', () => {
    it('charges the command a snapshot read plus the events since it, strongly consistent', () => {
      // since snapshot: 25 events × 1024 B / 4096 = 6.25 → 7; command 1 + 7 = 8, notifier 8, state transfer 8,
      // projector 2 (balance row + the stored event, each in a BatchGetItem); writes: append 1 + 1/50 snapshot,
      // projector 3 (transaction row in a BatchWriteItem 1, balance row in a TransactWriteItems 2), replica 1, worker 3
      expect(dynamoUnitsPerAccountEvent(1024)).toEqual({ wru: 1 + 0.02 + 3 + 1 + 3, rru: 8 + 2 + 8 + 8 });
    });

    it('shares the projector and replica writes and the notifier reads among the events of one account in a batch', () => {
      // 4 events of an account per batch: projector (4 rows + 2 for the balance transaction) / 4 = 1.5 WRU and 1/4 + 1 = 1.25 RRU; replica 1/4;
      // notifier one snapshot read + one Query of 25 + 3 events (⌈28 KB / 4 KB⌉ = 7) per account: (1 + 7) / 4 = 2 RRU
      expect(dynamoUnitsPerAccountEvent(1024, 50, 4)).toEqual({ wru: 1 + 0.02 + 1.5 + 0.25 + 3, rru: 8 + 1.25 + 2 + 8 });
    });
  });

  describe('per-key batches', () => {
    const projector = BATCH_PROFILES.find((b) => b.name === 'projector')!;

    it('takes one round of calls per wave of keys written at once, plus the rounds the batch shares', () => {
      const fraud = BATCH_PROFILES.find((b) => b.name === 'fraud-detector')!;
      // 100 × 0.05 + ⌈100 / 16⌉ × 8 = 5 + 7 × 8; 16 cards are one wave, 17 two
      expect(batchMilliseconds(fraud, 100, 100, 0.05)).toBeCloseTo(61, 9);
      expect(batchMilliseconds(fraud, 100, 16, 0.05)).toBeCloseTo(13, 9);
      expect(batchMilliseconds(fraud, 100, 17, 0.05)).toBeCloseTo(21, 9);
    });

    it('takes the projector three shared rounds per batch, whatever the number of accounts', () => {
      // 100 × 0.05 + 5 + 10 + 5: the reads, the rows, the balance rows' transaction
      expect(batchMilliseconds(projector, 100, 100, 0.05)).toBeCloseTo(25, 9);
      expect(batchMilliseconds(projector, 100, 1, 0.05)).toBeCloseTo(25, 9);
    });

    it('carries more than ten times the records per shard of one write per event when every record is another account', () => {
      // before batching: 100 records × 10 ms = 1000 ms per batch → 100 records/s
      expect(recordsPerSecondPerShard(projector, 100, 1, 1)).toBeCloseTo(100_000 / 25, 6);
    });

    it('charges the projector a write unit per event, two per account per batch (the balance transaction), and a read by key per event', () => {
      expect(projectorUnitsPerEvent(1024, 1)).toEqual({ wru: 3, rru: 2 });
      expect(projectorUnitsPerEvent(1024, 4)).toEqual({ wru: 1.5, rru: 1.25 });
      expect(projectorUnitsPerEvent(5000, 4)).toEqual({ wru: 1.5, rru: 2.25 });
    });

    it('charges a card window read and write once per card per batch', () => {
      expect(dynamoUnitsPerTelemetryEvent(1)).toEqual({ wru: 2, rru: 1 });
      expect(dynamoUnitsPerTelemetryEvent(4)).toEqual({ wru: 0.5, rru: 0.25 });
    });
  });

  describe('costPerMillion', () => {
    const workload = { ratePerSecond: 1000, eventBytes: 1024 };
    const sum = (mode: Parameters<typeof costPerMillion>[1], service: string) =>
      costPerMillion(workload, mode)
        .lines.filter((l) => l.service === service)
        .reduce((s, l) => s + l.usd, 0);

    it('prices on-demand Kinesis by stream-hour, 1 KB-rounded data in and reads per consumer', () => {
      // 1e6 events at 1000/s = 0.2778 h × $0.04 = 0.011111; 0.953674 GB in × $0.08 = 0.076294; × 4 consumers × $0.04 = 0.152588
      expect(sum('on-demand', 'Kinesis')).toBeCloseTo(0.011111 + 0.076294 + 0.152588, 5);
    });

    it('prices provisioned Kinesis by shard-hour and PUT payload unit', () => {
      // 2 shards × 0.2778 h × $0.015 = 0.008333; 1e6 units × $0.014 / 1e6 = 0.014
      expect(sum('provisioned', 'Kinesis')).toBeCloseTo(0.008333 + 0.014, 5);
    });

    it('prices enhanced fan-out per consumer-shard-hour and GB read', () => {
      // 1 shard: 0.004167 + 0.014; EFO: 4 × 1 × 0.2778 × 0.015 = 0.016667; 3.8147 GB × 0.013 = 0.049591
      expect(sum('provisioned-efo', 'Kinesis')).toBeCloseTo(0.004167 + 0.014 + 0.016667 + 0.049591, 5);
    });

    it('prices DynamoDB on-demand request units', () => {
      // 2 602 000 WRU × 0.625 / 1e6 = 1.62625; 3 500 000 RRU × 0.125 / 1e6 = 0.4375
      expect(sum('on-demand', 'DynamoDB')).toBeCloseTo(1.62625 + 0.4375, 6);
    });

    it('prices Lambda requests and arm64 GB-seconds', () => {
      // 162 000 invocations × 0.2 / 1e6 = 0.0324 (the relay takes 100 000 account events in batches of 500: 200). Per event: 900 000 swipes × 0.4 ms (ingest 0.2, four
      // stream consumers' decode 0.05 each) = 360 s; 100 000 account events × 67.1 ms = 6710 s. Per batch
      // (10 000 batches of 100): projector 10 accounts → its three shared rounds, 20 ms = 200 s; fraud 90 cards → 6 × 8 ms = 480 s.
      // 7750 s × 0.25 GB = 1937.5 GB-s × 0.0000133334
      expect(sum('on-demand', 'Lambda')).toBeCloseTo(0.0324 + 1937.5 * 0.0000133334, 6);
    });

    it('prices one REST request per batch of swipes and one per command', () => {
      // 900 000 / 500 + 100 000 = 101 800 × 3.5 / 1e6
      expect(sum('on-demand', 'API Gateway')).toBeCloseTo(0.3563, 6);
    });

    it('prices SQS standard and FIFO requests for the account events only', () => {
      // 100 000 × 0.3 × (0.4 + 0.5) / 1e6
      expect(sum('on-demand', 'SQS')).toBeCloseTo(0.012 + 0.015, 6);
    });

    it('turns the cost per million into a monthly cost at the rate', () => {
      const cost = costPerMillion(workload, 'on-demand');

      // 1000/s × 86 400 × 30 = 2 592 million events a month
      expect(cost.monthlyUsd).toBeCloseTo(cost.totalUsd * 2592, 6);
    });

    it('states the region of its prices', () => {
      expect(PRICES_US_EAST_1.region).toBe('us-east-1');
    });
  });

  describe('recommendedMode', () => {
    it('recommends provisioned shards sized for reads for a steady 10k events/s of 1 KB: cheaper than fan-out', () => {
      // 20 shards × 0.02778 h × 0.015 = 0.00833 vs 10 shards + 4 consumers' EFO hours and retrievals = 0.0704 (+ PUT units in both)
      expect(recommendedMode({ ratePerSecond: 10_000, eventBytes: 1024 })).toBe('provisioned');
    });

    it('recommends fan-out when five consumers rule out standard reads', () => {
      expect(recommendedMode({ ratePerSecond: 10_000, eventBytes: 1024, consumers: 5 })).toBe('provisioned-efo');
    });

    it.each([
      [2, ['provisioned', 'provisioned-efo', 'on-demand', 'on-demand-efo']],
      [4, ['provisioned', 'provisioned-efo', 'on-demand-efo']],
      [5, ['provisioned-efo', 'on-demand-efo']],
    ])('with %d consumers the viable modes are %j', (consumers, modes) => {
      expect(viableModes({ ratePerSecond: 1000, eventBytes: 1024, consumers })).toEqual(modes);
    });
  });

  describe('parseCapacityArgs', () => {
    it('reads rate, size and options', () => {
      expect(parseCapacityArgs(['--rate', '10000', '--size', '512', '--command-share', '0.2', '--json'])).toEqual({
        workload: { ratePerSecond: 10000, eventBytes: 512, commandShare: 0.2, consumers: undefined },
        json: true,
        help: false,
      });
    });

    it('requires a rate', () => {
      expect(() => parseCapacityArgs(['--size', '512'])).toThrow(/--rate is required/);
    });

    it('rejects an unknown option by name', () => {
      expect(() => parseCapacityArgs(['--rate', '1', '--bogus'])).toThrow(/unknown option "--bogus"/);
    });
  });
});
