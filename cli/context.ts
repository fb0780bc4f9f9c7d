import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Command } from 'commander';
import { resolveApiKey } from './api-key';
import { CliError } from './errors';
import type { CommonOptions } from './options';
import { loadOutputs, type Outputs, outputsFileOf, requireOutput } from './outputs';
import { endpointOf, sdkConfig, type SdkConfig } from './target';
import { withoutCallLog } from '../lambdas/shared/sdk-call-log';

/**
 * What a command works with: the stack outputs, SDK clients and the API, all resolved lazily so
 * `--help` and usage errors need none of them.
 *
 * SDK clients get only what `--profile`, `--region` and `--endpoint-url` set; the SDK resolves the
 * rest itself (`AWS_ENDPOINT_URL`, `AWS_REGION`, `AWS_PROFILE`, …), exactly as for any other SDK program.
 */
export class CliContext {
  private loaded?: Outputs;
  private key?: Promise<string>;
  private readonly clients: { ddb?: DynamoDBClient; dynamo?: DynamoDBDocumentClient; kinesis?: KinesisClient; sqs?: SQSClient; lambda?: LambdaClient } = {};
  /** The SDK client configuration of the target flags. */
  public readonly sdk: SdkConfig;

  /**
   * @param given what the caller already knows instead of reading it: the outputs (the local
   *   console has them in memory) and SDK settings (its endpoint, region and credentials)
   */
  public constructor(
    public readonly options: CommonOptions,
    given: { readonly outputs?: Outputs; readonly sdk?: SdkConfig } = {},
  ) {
    this.sdk = { ...sdkConfig(options), ...given.sdk };
    this.loaded = given.outputs;
  }

  public get json(): boolean {
    return this.options.json === true;
  }

  public get outputs(): Outputs {
    this.loaded ??= loadOutputs(outputsFileOf(this.options));
    return this.loaded;
  }

  public output(name: string): string {
    return requireOutput(this.outputs, name);
  }

  /** The AWS endpoint (`--endpoint-url`, else `AWS_ENDPOINT_URL`), or `undefined` for AWS itself. */
  public get endpoint(): string | undefined {
    return endpointOf(this.options);
  }

  /** The API base URL without a trailing slash: `SLUICE_API_URL`, else the `ApiUrl` output. */
  public get apiUrl(): string {
    return (process.env.SLUICE_API_URL || this.output('ApiUrl')).replace(/\/$/, '');
  }

  /** The API key (see `resolveApiKey`), read once. */
  public apiKey(): Promise<string> {
    this.key ??= resolveApiKey(this.outputs, this.sdk);
    return this.key;
  }

  /** The low-level DynamoDB client (table management). */
  public get ddb(): DynamoDBClient {
    this.clients.ddb ??= withoutCallLog(new DynamoDBClient(this.sdk));
    return this.clients.ddb;
  }

  public get dynamo(): DynamoDBDocumentClient {
    this.clients.dynamo ??= DynamoDBDocumentClient.from(this.ddb, { marshallOptions: { removeUndefinedValues: true } });
    return this.clients.dynamo;
  }

  public get kinesis(): KinesisClient {
    this.clients.kinesis ??= withoutCallLog(new KinesisClient(this.sdk));
    return this.clients.kinesis;
  }

  public get sqs(): SQSClient {
    this.clients.sqs ??= withoutCallLog(new SQSClient(this.sdk));
    return this.clients.sqs;
  }

  public get lambda(): LambdaClient {
    this.clients.lambda ??= withoutCallLog(new LambdaClient(this.sdk));
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
    const ctx = new CliContext(command.optsWithGlobals<CommonOptions>());
    try {
      await fn(ctx, ...(args.slice(0, -1) as TArgs));
    } catch (error) {
      throw withProfileHint(error, ctx.sdk.profile);
    } finally {
      ctx.close();
    }
  };
}

/**
 * The SDK's "Could not load credentials from any providers" does not say which profile it tried:
 * with `--profile`, name it and where it must be.
 */
export function withProfileHint(error: unknown, profile: string | undefined): unknown {
  if (!profile || !(error instanceof Error) || error.name !== 'CredentialsProviderError') return error;
  return new CliError(
    `no credentials for profile ${profile} (--profile): ${error.message.split('\n')[0]}; check that ${process.env.AWS_CONFIG_FILE || '~/.aws/config'} ` +
      `has [profile ${profile}] or the credentials file [${profile}], or run aws sso login --profile ${profile}`,
    { cause: error },
  );
}
