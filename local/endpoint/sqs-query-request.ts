/**
 * The request half of the SQS query protocol (`Action=SendMessage&Version=2012-11-05&…`, as
 * AWS CLI v2 before 2.13.x, SDK for JavaScript v2 and boto3 before 1.34.x send it): turns the
 * flattened form parameters into the input of the same action in the JSON protocol, which is the
 * only one fauxqs speaks.
 *
 * The query protocol flattens lists as `Name.N` and maps as `Name.N.Key`/`Name.N.Value` (1-based),
 * under the member's XML name, which for SQS is the singular of the JSON member name
 * (`Attribute.1.Name` → `Attributes`). Nested shapes use dotted paths
 * (`SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.StringValue`).
 */

/** One SQS call in JSON-protocol terms: `X-Amz-Target: AmazonSQS.<action>` with `input` as the body. */
export interface SqsJsonCall {
  readonly action: string;
  readonly input: Record<string, unknown>;
}

/** The error a request too malformed to translate gets (AWS answers these in the same words). */
export class SqsQueryRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SqsQueryRequestError';
  }
}

/** Flattened lists: query name → JSON member. */
const LISTS: Readonly<Record<string, string>> = {
  AttributeName: 'AttributeNames',
  MessageAttributeName: 'MessageAttributeNames',
  MessageSystemAttributeName: 'MessageSystemAttributeNames',
  TagKey: 'TagKeys',
  AWSAccountId: 'AWSAccountIds',
  ActionName: 'Actions',
  SendMessageBatchRequestEntry: 'Entries',
  DeleteMessageBatchRequestEntry: 'Entries',
  ChangeMessageVisibilityBatchRequestEntry: 'Entries',
  StringListValue: 'StringListValues',
  BinaryListValue: 'BinaryListValues',
};

/** Flattened maps: query name → [JSON member, key element, value element]. */
const MAPS: Readonly<Record<string, readonly [string, string, string]>> = {
  Attribute: ['Attributes', 'Name', 'Value'],
  MessageAttribute: ['MessageAttributes', 'Name', 'Value'],
  MessageSystemAttribute: ['MessageSystemAttributes', 'Name', 'Value'],
  Tag: ['Tags', 'Key', 'Value'],
};

/** JSON members spelled differently by one action (CreateQueue's tags are `tags`, TagQueue's `Tags`). */
const ACTION_MEMBERS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  CreateQueue: { Tags: 'tags' },
};

/** Members whose JSON type is an integer (the query protocol sends every value as text). */
const INTEGERS = new Set(['DelaySeconds', 'MaxNumberOfMessages', 'VisibilityTimeout', 'WaitTimeSeconds', 'MaxResults', 'MaxNumberOfMessagesPerSecond']);

/** Parameters of the protocol envelope or of signature version 2/4 in a query string, not of the action. */
const ENVELOPE = /^(Action|Version|AWSAccessKeyId|Signature|SignatureMethod|SignatureVersion|Timestamp|Expires|SecurityToken|X-Amz-.*)$/;

type Tree = { [segment: string]: Tree | string };

/**
 * Translates one query-protocol request into the JSON-protocol call.
 *
 * `queueUrl` is the URL the request was posted to when it names a queue by path (SDK v2 posts to
 * the queue URL, `POST /000000000000/orders`); it fills `QueueUrl` when the form has none.
 *
 * @throws SqsQueryRequestError (`MissingAction`) when there is no `Action`
 * @example
 * toJsonCall(new URLSearchParams('Action=GetQueueUrl&Version=2012-11-05&QueueName=orders'))
 * // { action: 'GetQueueUrl', input: { QueueName: 'orders' } }
 */
export function toJsonCall(params: URLSearchParams, queueUrl?: string): SqsJsonCall {
  const action = params.get('Action');
  if (!action) throw new SqsQueryRequestError('MissingAction', 'The request must contain the parameter Action.');
  const tree: Tree = {};
  for (const [name, value] of params) {
    if (ENVELOPE.test(name)) continue;
    insert(tree, name.split('.'), value);
  }
  const input = toJson(tree);
  for (const [member, renamed] of Object.entries(ACTION_MEMBERS[action] ?? {})) {
    if (input[member] === undefined) continue;
    input[renamed] = input[member];
    delete input[member];
  }
  if (input.QueueUrl === undefined && queueUrl !== undefined) input.QueueUrl = queueUrl;
  return { action, input };
}

function insert(tree: Tree, segments: string[], value: string): void {
  let node = tree;
  for (const segment of segments.slice(0, -1)) {
    const child = node[segment];
    if (typeof child === 'object') {
      node = child;
    } else {
      const created: Tree = {};
      node[segment] = created;
      node = created;
    }
  }
  node[segments[segments.length - 1]] = value;
}

/** The members of a (sub)tree, with flattened lists and maps folded into their JSON form. */
function toJson(tree: Tree): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, node] of Object.entries(tree)) {
    if (typeof node === 'string') {
      out[name] = INTEGERS.has(name) && /^-?\d+$/.test(node) ? Number(node) : node;
    } else if (LISTS[name]) {
      out[LISTS[name]] = indexed(node).map((item) => (typeof item === 'string' ? item : toJson(item)));
    } else if (MAPS[name]) {
      const [member, keyName, valueName] = MAPS[name];
      const map: Record<string, unknown> = {};
      for (const entry of indexed(node)) {
        if (typeof entry === 'string') continue;
        const key = entry[keyName];
        const value = entry[valueName];
        if (typeof key !== 'string' || value === undefined) continue;
        map[key] = typeof value === 'string' ? value : toJson(value);
      }
      out[member] = map;
    } else {
      out[name] = toJson(node);
    }
  }
  return out;
}

/** The `.1`, `.2`, … children of a flattened member, in index order. */
function indexed(node: Tree): Array<Tree | string> {
  return Object.entries(node)
    .filter(([index]) => /^\d+$/.test(index))
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([, item]) => item);
}
