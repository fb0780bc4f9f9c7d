/**
 * What the local cloud knows about sluice's own app, kept out of the generic parts (the template
 * loader, the endpoint, the runtime) and injected by the entry points: how a function is named in
 * the logs. The loader itself names a function by its logical id.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { serviceName } from '../lambdas/shared/metric-catalog';
import type { LocalFunction } from './model';
import type { FunctionNaming, LoadOptions } from './template';

/** `sluice-`: the prefix sluice's functions carry in `POWERTOOLS_SERVICE_NAME` (see `serviceName`). */
const SERVICE_PREFIX = serviceName('');

/** A sluice function's log name: its Powertools service name without the `sluice-` prefix (`projector`), else its logical id. */
export function sluiceDisplayName({ logicalId, environment }: FunctionNaming): string {
  const service = environment.POWERTOOLS_SERVICE_NAME;
  if (!service) return logicalId;
  return service.startsWith(SERVICE_PREFIX) ? service.slice(SERVICE_PREFIX.length) : service;
}

/** The loader options sluice's local cloud adds to the caller's. */
export const SLUICE_LOAD_CONVENTIONS: Pick<LoadOptions, 'displayName'> = { displayName: sluiceDisplayName };

/**
 * What hot reload needs to rebuild a sluice function as `cdk synth` does: the bundling options of
 * lib/sluice-function.ts (imported when first needed: it loads aws-cdk-lib) and the entry
 * `lambdas/<display name>/handler.ts` (SluiceFunction's default `handlerDir`).
 */
export async function sluiceHotReloadConventions(
  projectRoot: string,
): Promise<{ bundling: BundlingOptions; entryOf: (fn: Pick<LocalFunction, 'displayName'>) => string | undefined }> {
  const { BUNDLING } = await import('../lib/sluice-function');
  return {
    bundling: BUNDLING,
    entryOf: ({ displayName }) => {
      const entry = path.join(projectRoot, 'lambdas', displayName, 'handler.ts');
      return existsSync(entry) ? entry : undefined;
    },
  };
}
