import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Command, InvalidArgumentError } from 'commander';
import { loadOutputs, type Outputs, requireOutput } from './outputs';

/** The local cloud's API key when `SLUICE_API_KEY` is not set. */
export const DEFAULT_API_KEY = 'local-dev-key';

/** Options every command takes. */
export interface CommonOptions {
  readonly json?: boolean;
  readonly outputs?: string;
}

/** Adds `--json` and `--outputs <file>` to a command. */
export function withCommonOptions(command: Command): Command {
  return command
    .option('--json', 'machine output: one JSON document on stdout (NDJSON for tail)')
    .option('--outputs <file>', 'stack outputs file (cdk deploy --outputs-file shape); default $SLUICE_OUTPUTS_FILE or .sluice/outputs.json');
}

/**
 * What a command works with: the stack outputs, SDK clients and the API, all resolved lazily so
 * `--help` and usage errors need none of them.
 *
 * SDK clients get no explicit endpoint, region or credentials: the SDK resolves them itself
 * (`AWS_ENDPOINT_URL`, `AWS_REGION`, `AWS_PROFILE`, …), exactly as for any other SDK program.
 */
export class CliContext {
  private loaded?: Outputs;
  private readonly clients: { ddb?: DynamoDBClient; dynamo?: DynamoDBDocumentClient; kinesis?: KinesisClient; sqs?: SQSClient; lambda?: LambdaClient } = {};

  public constructor(public readonly options: CommonOptions) {}

  public get json(): boolean {
    return this.options.json === true;
  }

  public get outputs(): Outputs {
    this.loaded ??= loadOutputs(this.options.outputs);
    return this.loaded;
  }

  public output(name: string): string {
    return requireOutput(this.outputs, name);
  }

  /** The API base URL without a trailing slash: `SLUICE_API_URL`, else the `ApiUrl` output. */
  public get apiUrl(): string {
    return (process.env.SLUICE_API_URL || this.output('ApiUrl')).replace(/\/$/, '');
  }

  public get apiKey(): string {
    return process.env.SLUICE_API_KEY || DEFAULT_API_KEY;
  }

  /** The low-level DynamoDB client (table management). */
  public get ddb(): DynamoDBClient {
    this.clients.ddb ??= new DynamoDBClient({});
    return this.clients.ddb;
  }

  public get dynamo(): DynamoDBDocumentClient {
    this.clients.dynamo ??= DynamoDBDocumentClient.from(this.ddb, { marshallOptions: { removeUndefinedValues: true } });
    return this.clients.dynamo;
  }

  public get kinesis(): KinesisClient {
    this.clients.kinesis ??= new KinesisClient({});
    return this.clients.kinesis;
  }

  public get sqs(): SQSClient {
    this.clients.sqs ??= new SQSClient({});
    return this.clients.sqs;
  }

  public get lambda(): LambdaClient {
    this.clients.lambda ??= new LambdaClient({});
    return this.clients.lambda;
  }

  /** Closes the clients' keep-alive sockets so the process can exit. */
  public close(): void {
    for (const client of Object.values(this.clients)) client?.destroy();
  }
}

/**
 * Wraps a command's action: builds the context from the command's options and closes its clients.
 *
 * Commander calls actions with the positional arguments, the options object and the command.
 */
export function action<TArgs extends unknown[]>(fn: (ctx: CliContext, ...args: TArgs) => Promise<void>): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const ctx = new CliContext(command.opts<CommonOptions>());
    try {
      await fn(ctx, ...(args.slice(0, -1) as TArgs));
    } finally {
      ctx.close();
    }
  };
}

/** Commander argument parser for a positive integer option. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`must be a positive integer (got "${value}")`);
  return n;
}

/** Commander argument parser for an ISO 8601 time option. */
export function isoTime(value: string): Date {
  const time = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(time.getTime())) {
    throw new InvalidArgumentError(`must be an ISO 8601 time such as 2025-01-31T12:00:00Z (got "${value}")`);
  }
  return time;
}
