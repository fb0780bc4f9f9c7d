/** Client of the local endpoint's fault injection API (`/_sluice/chaos/faults`). */
export interface FaultRule {
  readonly service: 'dynamodb' | 'dynamodbstreams' | 'kinesis' | 'sqs' | 'lambda';
  readonly operation?: string;
  readonly match?: string | readonly string[];
  readonly probability?: number;
  readonly times?: number;
  readonly error?: { statusCode?: number; code?: string; message?: string };
  readonly latencyMs?: number;
}

export interface ActiveFault extends FaultRule {
  readonly id: string;
  readonly hits: number;
}

function chaosUrl(endpoint = process.env.AWS_ENDPOINT_URL): string {
  if (!endpoint) throw new Error('AWS_ENDPOINT_URL is not set: the fault tests need the sluice local cloud');
  return `${endpoint.replace(/\/$/, '')}/_sluice/chaos/faults`;
}

async function call(method: string, body?: unknown, endpoint?: string): Promise<{ added?: ActiveFault[]; faults: ActiveFault[] }> {
  const response = await fetch(chaosUrl(endpoint), {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${chaosUrl(endpoint)} answered ${response.status}: ${text}`);
  return JSON.parse(text);
}

export const chaos = {
  /** Adds rules; returns them with their ids. */
  async add(rules: readonly FaultRule[], endpoint?: string): Promise<ActiveFault[]> {
    return (await call('POST', rules, endpoint)).added ?? [];
  },
  async list(endpoint?: string): Promise<ActiveFault[]> {
    return (await call('GET', undefined, endpoint)).faults;
  },
  async clear(endpoint?: string): Promise<void> {
    await call('DELETE', undefined, endpoint);
  },
  /** Hits so far of a rule, or undefined once it has been used up (`times`) and removed. */
  async hits(id: string, endpoint?: string): Promise<number | undefined> {
    return (await this.list(endpoint)).find((rule) => rule.id === id)?.hits;
  },
};
