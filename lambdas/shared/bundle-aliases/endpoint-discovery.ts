/**
 * What every sluice function bundles in place of `@aws-sdk/middleware-endpoint-discovery` (the
 * alias in lib/sluice-function.ts `BUNDLE_ALIASES`). In the SDK version sluice bundles no DynamoDB
 * command adds the endpoint-discovery middleware any more: the DynamoDB client only resolves the
 * setting (and builds an endpoint cache, with `@aws-sdk/endpoint-cache` and mnemonist's LRU cache)
 * that nothing then reads, about 2 KB compiled at every cold start of each DynamoDB function.
 *
 * The stand-in gives the client config the same keys except the cache; the setting is resolved
 * as the client was given it, and no environment variable or config file entry is read for it,
 * since no request would use it. test/unit/shared/bundle-aliases/endpoint-discovery.test.ts checks
 * that the DynamoDB client still adds no discovery middleware, so an SDK that brings it back fails there.
 */

/** What `resolveEndpointDiscoveryConfig` reads from the client config. */
export interface EndpointDiscoveryInputConfig {
  endpointDiscoveryEnabled?: boolean;
  endpointDiscoveryEnabledProvider?: () => Promise<boolean | undefined>;
}

/** The client's default `endpointDiscoveryEnabledProvider` options (its runtime config loads them): nothing to read. */
export const NODE_ENDPOINT_DISCOVERY_CONFIG_OPTIONS = {
  environmentVariableSelector: (): undefined => undefined,
  configFileSelector: (): undefined => undefined,
  default: undefined,
};

/** The SDK's config keys for endpoint discovery, without the endpoint cache no request reads. */
export function resolveEndpointDiscoveryConfig<T extends EndpointDiscoveryInputConfig>(
  input: T,
  { endpointDiscoveryCommandCtor }: { endpointDiscoveryCommandCtor: unknown },
): T & {
  endpointDiscoveryCommandCtor: unknown;
  endpointDiscoveryEnabled: (() => Promise<boolean | undefined>) | undefined;
  isClientEndpointDiscoveryEnabled: boolean;
} {
  const { endpointDiscoveryEnabled, endpointDiscoveryEnabledProvider } = input;
  return Object.assign(input, {
    endpointDiscoveryCommandCtor,
    endpointDiscoveryEnabled: endpointDiscoveryEnabled !== undefined ? () => Promise.resolve(endpointDiscoveryEnabled) : endpointDiscoveryEnabledProvider,
    isClientEndpointDiscoveryEnabled: endpointDiscoveryEnabled !== undefined,
  });
}
