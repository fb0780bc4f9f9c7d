import { type Command, InvalidArgumentError } from 'commander';

/**
 * Options that say which deployment a command talks to. They are the program's (global) options,
 * so they go before or after the command: `sluice --stage dev send …` = `sluice send … --stage dev`.
 * Each flag wins over the SDK's own variable (`AWS_PROFILE`, `AWS_REGION`, `AWS_ENDPOINT_URL`);
 * without the flag the SDK resolves the value itself, exactly as for any other SDK program.
 */
export interface TargetOptions {
  /** Outputs file (`--outputs`). */
  readonly outputs?: string;
  /** Stage whose outputs file to read (`--stage`: `.sluice/outputs.<stage>.json`). */
  readonly stage?: string;
  readonly profile?: string;
  readonly region?: string;
  readonly endpointUrl?: string;
}

/** Adds the target options to the program. */
export function withTargetOptions(program: Command): Command {
  return program
    .option('--stage <stage>', 'read the outputs of this stage: .sluice/outputs.<stage>.json (local = the local cloud, the default)')
    .option('--outputs <file>', 'stack outputs file (cdk deploy --outputs-file shape, or flat); default $SLUICE_OUTPUTS_FILE or .sluice/outputs.local.json')
    .option('--profile <name>', 'AWS profile (default $AWS_PROFILE)')
    .option('--region <region>', 'AWS region (default $AWS_REGION, then the profile)')
    .option('--endpoint-url <url>', 'AWS endpoint, e.g. http://localhost:4566 (default $AWS_ENDPOINT_URL; none = AWS)', endpointUrl);
}

/** The SDK client configuration of the target flags: only what a flag sets, the rest left to the SDK. */
export interface SdkConfig {
  readonly profile?: string;
  readonly region?: string;
  readonly endpoint?: string;
  /** Static credentials, for code that runs the CLI's core inside the local cloud (its console); the CLI itself leaves them to the SDK. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export function sdkConfig(options: TargetOptions): SdkConfig {
  return {
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.region ? { region: options.region } : {}),
    ...(options.endpointUrl ? { endpoint: options.endpointUrl } : {}),
  };
}

/** The AWS endpoint the clients use: `--endpoint-url`, else `AWS_ENDPOINT_URL`, else none (AWS itself). */
export function endpointOf(options: TargetOptions, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return options.endpointUrl || env.AWS_ENDPOINT_URL || undefined;
}

/** Commander parser for `--endpoint-url`: an http(s) URL. */
export function endpointUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`must be an http(s) URL such as http://localhost:4566 (got "${value}")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError(`must be an http(s) URL such as http://localhost:4566 (got "${value}")`);
  return value;
}
