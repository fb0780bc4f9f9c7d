import path from 'node:path';
import { startDynamoDb, type DynamoDbEmulator } from './dynamodb';
import { startKinesis, type KinesisEmulator } from './kinesis';
import { LOOPBACK } from './ports';
import { startSqs, type SqsEmulator } from './sqs';

export { assertJava, JavaMissingError, DYNAMODB_JVM_FLAGS } from './dynamodb';
export { findFreePort, waitForPort, LOOPBACK } from './ports';

export interface EmulatorPorts {
  readonly kinesis: number;
  readonly dynamodb: number;
  readonly sqs: number;
}

export interface StartEmulatorsOptions {
  /** Keep Kinesis and DynamoDB data under `<dataDir>/kinesis` and `<dataDir>/dynamodb`; in memory when absent. */
  readonly dataDir?: string;
  /** Fixed ports; any free loopback port when absent (never the packages' defaults, which collide). */
  readonly ports?: Partial<EmulatorPorts>;
  readonly log?: (source: string, line: string) => void;
  /** The emulators' launchers' own notes (e.g. DynamoDB Local's class-data archive written or refused), without the emulators' output. */
  readonly notice?: (source: string, line: string) => void;
  /** DynamoDB Local's class-data cache folder, or false for none (see dynamodb-class-data.ts). @default `.sluice/dynamodb-local` */
  readonly classDataDir?: string | false;
  /**
   * DynamoDB Local already being started (`startDynamoDb`), e.g. by `npm start` before it loads the
   * rest of the local cloud: the JVM's seconds then overlap the module loading. Started here when absent.
   */
  readonly dynamodb?: Promise<DynamoDbEmulator>;
}

export interface Emulators {
  readonly ports: EmulatorPorts;
  /** `http://127.0.0.1:<port>` per service. */
  readonly urls: { readonly kinesis: string; readonly dynamodb: string; readonly sqs: string };
  /** Milliseconds each emulator took to accept connections. */
  readonly startMs: EmulatorPorts;
  /** Child process ids (DynamoDB Local's JVM, fauxqs' Node, kinesalite's Node). */
  readonly pids: { readonly dynamodb?: number; readonly sqs?: number; readonly kinesis?: number };
  stop(): Promise<void>;
}

/**
 * Starts kinesalite, DynamoDB Local and fauxqs in parallel on loopback.
 *
 * If one fails, the others are stopped and the first error is thrown.
 *
 * @throws JavaMissingError when no Java runtime is installed (DynamoDB Local needs one)
 */
export async function startEmulators(options: StartEmulatorsOptions = {}): Promise<Emulators> {
  const timed = async <T>(start: () => Promise<T>): Promise<{ value: T; ms: number }> => {
    const t0 = performance.now();
    const value = await start();
    return { value, ms: Math.round(performance.now() - t0) };
  };
  const results = await Promise.allSettled([
    timed(() =>
      startKinesis({
        port: options.ports?.kinesis,
        dataDir: options.dataDir ? path.join(options.dataDir, 'kinesis') : undefined,
      }),
    ),
    timed(
      () =>
        options.dynamodb ??
        startDynamoDb({
          port: options.ports?.dynamodb,
          dataDir: options.dataDir ? path.join(options.dataDir, 'dynamodb') : undefined,
          log: options.log ? (line) => options.log?.('dynamodb', line) : undefined,
          notice: (line) => (options.notice ?? options.log)?.('dynamodb', line),
          classDataDir: options.classDataDir,
        }),
    ),
    timed(() => startSqs({ port: options.ports?.sqs })),
  ]);
  const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.value] : []));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.allSettled(started.map((e) => e.stop()));
    throw failed.reason;
  }
  const [kinesis, dynamodb, sqs] = results.map((r) => (r as PromiseFulfilledResult<{ value: unknown; ms: number }>).value);
  const k = kinesis.value as KinesisEmulator;
  const d = dynamodb.value as DynamoDbEmulator;
  const s = sqs.value as SqsEmulator;
  const ports = { kinesis: k.port, dynamodb: d.port, sqs: s.port };
  return {
    ports,
    urls: {
      kinesis: `http://${LOOPBACK}:${k.port}`,
      dynamodb: `http://${LOOPBACK}:${d.port}`,
      sqs: `http://${LOOPBACK}:${s.port}`,
    },
    startMs: { kinesis: kinesis.ms, dynamodb: dynamodb.ms, sqs: sqs.ms },
    pids: { dynamodb: d.pid, sqs: s.pid, kinesis: k.pid },
    stop: async () => {
      await Promise.allSettled([k.stop(), d.stop(), s.stop()]);
    },
  };
}
