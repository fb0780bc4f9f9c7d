/**
 * What a resource-type handler is: the loader knows no resource type itself; for each
 * CloudFormation type it runs the handler registered in resource-types.ts, which gives the
 * resource its physical identity and builds its part of the {@link LocalApp}.
 */
import type { LocalApi, LocalApp, LocalFunction, LocalMapping, LocalQueue, LocalSkippedResource, LocalStream, LocalTable } from '../model';
import type { ResolveContext } from './intrinsics';
import type { CfnResource, LoadOptions, Physical } from './template-types';

/** What a handler sees to name a resource (before any reference can be resolved). */
export interface IdentityInput {
  readonly stackName: string;
  readonly logicalId: string;
  readonly resource: CfnResource;
  /** A string property as the template wrote it, or undefined when it is absent or not a plain string. */
  explicit(key: string): string | undefined;
  /** `<stackName>-<logicalId>`: the local physical name of a resource the template does not name. */
  readonly defaultName: string;
  /** Base URL of the local AWS endpoint (queue URLs are built on it). */
  readonly awsEndpoint: string;
}

/** What a handler sees to build a resource. */
export interface ResourceInput {
  readonly stackName: string;
  readonly logicalId: string;
  readonly resource: CfnResource;
  /** `<stackName>/<logicalId>`, for error messages. */
  readonly where: string;
  readonly id: Physical;
  readonly ctx: ResolveContext;
  /** A property with its intrinsics resolved. */
  prop(key: string): unknown;
  /** Every resource of the stack (a REST API is made of many). */
  readonly stackResources: Readonly<Record<string, CfnResource>>;
}

/** The parts of the app built so far, which later handlers read (a mapping reads the queues and functions). */
export interface AppParts {
  readonly tables: LocalTable[];
  readonly streams: LocalStream[];
  readonly queues: LocalQueue[];
  readonly functions: LocalFunction[];
  readonly mappings: LocalMapping[];
  readonly skipped: LocalSkippedResource[];
  api?: LocalApi;
}

/** What the loader lends every handler. */
export interface LoaderScope {
  readonly options: LoadOptions & { readonly cloudAssemblyDir: string };
  readonly parts: AppParts;
  /** `https://<restApi>.execute-api.<region>.amazonaws.com/<stage>/...` → the local API's URL; anything else unchanged. */
  localizeApiUrl(value: string): string;
  /** Records a resource the local cloud does not run, with why. */
  skip(stackName: string, logicalId: string, type: string, reason: string): void;
}

/**
 * Handlers build in phases, stack by stack: first the resources (tables, streams, queues,
 * functions), then the mappings (which need those of this and every earlier stack), then the API.
 */
export const BUILD_PHASES = ['resources', 'mappings', 'api'] as const;
export type BuildPhase = (typeof BUILD_PHASES)[number];

export interface ResourceTypeHandler {
  /** The physical identity; without it `Ref` is the logical id and `Fn::GetAtt` offers nothing. */
  identity?(input: IdentityInput): Physical;
  /** When `build` runs. @default 'resources' */
  readonly phase?: BuildPhase;
  /** Adds the resource's local counterpart to `scope.parts` (or skips it, saying why). */
  build?(input: ResourceInput, scope: LoaderScope): void;
}

/** The parts in the shape of the app (`api` only when one was built). */
export function appFromParts(parts: AppParts): Pick<LocalApp, 'tables' | 'streams' | 'queues' | 'functions' | 'mappings' | 'api' | 'skipped'> {
  const { tables, streams, queues, functions, mappings, skipped, api } = parts;
  return { tables, streams, queues, functions, mappings, ...(api ? { api } : {}), skipped };
}
