import * as path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, serviceName } from '../lambdas/shared/metric-catalog';
import { FUNCTION_DEFAULTS } from './defaults';

/** Root of the function sources: `lambdas/<name>/handler.ts`. */
export const LAMBDAS_DIR = path.join(__dirname, '..', 'lambdas');

export interface SluiceFunctionProps {
  /** Folder under `lambdas/`, also the Powertools service name suffix, e.g. `projector`. */
  readonly name: string;
  /** Folder of `handler.ts`. @default `lambdas/<name>` */
  readonly handlerDir?: string;
  readonly description: string;
  readonly stage: string;
  readonly environment?: Record<string, string>;
  /** @default FUNCTION_DEFAULTS.consumerTimeout (30 s) */
  readonly timeout?: Duration;
  /** @default 256 */
  readonly memorySize?: number;
  readonly logRetentionDays: number;
  /** @default lambda.Architecture.ARM_64 */
  readonly architecture?: lambda.Architecture;
  /**
   * What happens to the log group when the stack is deleted (prod keeps its logs).
   * @default RemovalPolicy.DESTROY
   */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/**
 * A sluice Lambda function: Node.js 24 on arm64, bundled locally by esbuild (minified, source maps,
 * AWS SDK v3 left to the runtime), JSON logs to a log group with a retention, Powertools settings.
 * Each function states only what differs.
 *
 * @example
 * new SluiceFunction(this, 'Projector', { name: 'projector', description: 'CQRS projector', stage, logRetentionDays: 7 });
 */
export class SluiceFunction extends Construct {
  public readonly function: nodejs.NodejsFunction;

  public constructor(scope: Construct, id: string, props: SluiceFunctionProps) {
    super(scope, id);
    if (!/^[a-z][a-z0-9-]*$/.test(props.name)) {
      throw new Error(`function name must be a kebab-case folder under lambdas/ (got "${props.name}")`);
    }
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: retentionFor(props.logRetentionDays),
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.DESTROY,
    });
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: path.join(props.handlerDir ?? path.join(LAMBDAS_DIR, props.name), 'handler.ts'),
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: props.architecture ?? lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? FUNCTION_DEFAULTS.memorySize,
      timeout: props.timeout ?? FUNCTION_DEFAULTS.consumerTimeout,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: {
        POWERTOOLS_SERVICE_NAME: serviceName(props.name),
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        SLUICE_STAGE: props.stage,
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // The Node.js runtime ships AWS SDK v3; bundling it would only grow cold starts.
        externalModules: ['@aws-sdk/*'],
        forceDockerBundling: false,
      },
    });
  }
}

function retentionFor(days: number): logs.RetentionDays {
  const known = Object.values(logs.RetentionDays).filter((value): value is number => typeof value === 'number');
  if (!known.includes(days)) throw new Error(`logRetentionDays must be one of ${known.join(', ')} (got ${days})`);
  return days as logs.RetentionDays;
}
