/**
 * A hand-made function for the Lambda runner (`LocalFunction`, what the template loader builds from
 * a synthesized template): a handler asset in `assetDir`, 3 s timeout, 128 MB, named `test-<name>`.
 */
import type { LocalFunction } from '../../../local/model';

/** @example new LambdaRunner([localFunction('echo', dir, { timeoutSeconds: 1 })], { awsEndpoint, log }) */
export function localFunction(name: string, assetDir: string, overrides: Partial<LocalFunction> = {}): LocalFunction {
  return {
    logicalId: name,
    stackName: 'test',
    functionName: `test-${name}`,
    displayName: name,
    assetDir,
    handler: 'index.handler',
    environment: {},
    timeoutSeconds: 3,
    memorySize: 128,
    ...overrides,
  };
}
