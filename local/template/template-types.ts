/** The CloudFormation template shapes the loader reads, and what it is given. */

export interface CfnResource {
  readonly Type: string;
  /** Name of a condition in `Conditions`: the resource exists only when it is true. */
  readonly Condition?: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

export interface CfnTemplate {
  readonly Resources?: Record<string, CfnResource>;
  readonly Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown }; Condition?: string }>;
  readonly Parameters?: Record<string, { Default?: unknown }>;
  readonly Conditions?: Record<string, unknown>;
}

/** One stack as the loader sees it. */
export interface StackInput {
  readonly stackName: string;
  readonly template: CfnTemplate;
}

/** What the loader is told about a function to name it in logs: nothing but what the template holds. */
export interface FunctionNaming {
  readonly logicalId: string;
  /** The function's environment variables, resolved. */
  readonly environment: Readonly<Record<string, string>>;
}

export interface LoadOptions {
  /** Base URL of the local AWS endpoint; queue URLs are `<awsEndpoint>/000000000000/<name>`. */
  readonly awsEndpoint: string;
  /** Port of the local API; `ApiUrl`-style outputs become `http://localhost:<apiPort>/`. */
  readonly apiPort: number;
  /**
   * The short name of a function in the local cloud's logs. The loader knows no app's naming, so
   * an app's convention is injected here (sluice's: local/app-conventions.ts).
   * @default the function's logical id
   */
  readonly displayName?: (fn: FunctionNaming) => string;
}

/** A resource's physical identity: what `Ref` returns and the attributes `Fn::GetAtt` can read. */
export interface Physical {
  readonly ref: string;
  readonly atts: Readonly<Record<string, string>>;
  /** Set on a REST API: URLs `https://<executeApiId>.execute-api.<region>…/<stage>/` name it, and become the local API's URL. */
  readonly executeApiId?: string;
}
