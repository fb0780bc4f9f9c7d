import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { SluiceConfig } from './config';
import type { SluiceFunctionProps } from './sluice-function';

/** The `SluiceFunction` settings every function of a stage shares: stage, log retention and removal, architecture. */
export function stageFunctionProps(config: SluiceConfig): Pick<SluiceFunctionProps, 'stage' | 'logRetentionDays' | 'logRemovalPolicy' | 'architecture'> {
  return {
    stage: config.stage,
    logRetentionDays: config.logRetentionDays,
    logRemovalPolicy: config.removalPolicy,
    architecture: config.lambdaArchitecture === 'x86_64' ? lambda.Architecture.X86_64 : lambda.Architecture.ARM_64,
  };
}
