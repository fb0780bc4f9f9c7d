/**
 * The response half of the SQS query protocol: renders a JSON-protocol result or error of fauxqs
 * as the XML document AWS returns to a query-protocol client.
 *
 * Results: `<{Action}Response xmlns=…><{Action}Result>…</{Action}Result><ResponseMetadata>
 * <RequestId>…</RequestId></ResponseMetadata></{Action}Response>`, lists and maps flattened under
 * their singular XML names (`<QueueUrl>` per URL, `<Attribute><Name/><Value/></Attribute>` per
 * attribute). Errors: `<ErrorResponse><Error><Type>Sender</Type><Code>…</Code><Message>…</Message>
 * <Detail/></Error><RequestId>…</RequestId></ErrorResponse>` with the query error code
 * (`AWS.SimpleQueueService.NonExistentQueue`, not the JSON `QueueDoesNotExist`).
 */

/** The XML namespace of every SQS query response. */
export const SQS_QUERY_NAMESPACE = 'http://queue.amazonaws.com/doc/2012-11-05/';

/** Flattened lists: JSON member → XML element of each item (`Successful` is per action, see below). */
const LIST_ELEMENTS: Readonly<Record<string, string>> = {
  QueueUrls: 'QueueUrl',
  queueUrls: 'QueueUrl', // ListDeadLetterSourceQueues spells its JSON member in lower camel case
  Messages: 'Message',
  Failed: 'BatchResultErrorEntry',
  Results: 'ListMessageMoveTasksResultEntry',
  StringListValues: 'StringListValue',
  BinaryListValues: 'BinaryListValue',
};

/** Flattened maps: JSON member → [XML element of each entry, key element, value element]. */
const MAP_ELEMENTS: Readonly<Record<string, readonly [string, string, string]>> = {
  Attributes: ['Attribute', 'Name', 'Value'],
  MessageAttributes: ['MessageAttribute', 'Name', 'Value'],
  Tags: ['Tag', 'Key', 'Value'],
};

/** Actions whose AWS response has no `<…Result>` element, only the response metadata. */
const NO_RESULT = new Set([
  'AddPermission',
  'RemovePermission',
  'DeleteQueue',
  'DeleteMessage',
  'PurgeQueue',
  'SetQueueAttributes',
  'ChangeMessageVisibility',
  'TagQueue',
  'UntagQueue',
]);

/**
 * Query error codes of the errors whose JSON name differs, from the `awsQueryError` traits of
 * the SQS service model. They win over fauxqs's `x-amzn-query-error` header, which spells some of
 * them wrong (`AWS.SimpleQueueService.QueueNameExists` for AWS's `QueueAlreadyExists`).
 */
const QUERY_ERROR_CODES: Readonly<Record<string, string>> = {
  QueueDoesNotExist: 'AWS.SimpleQueueService.NonExistentQueue',
  QueueNameExists: 'QueueAlreadyExists',
  QueueDeletedRecently: 'AWS.SimpleQueueService.QueueDeletedRecently',
  PurgeQueueInProgress: 'AWS.SimpleQueueService.PurgeQueueInProgress',
  MessageNotInflight: 'AWS.SimpleQueueService.MessageNotInflight',
  BatchEntryIdsNotDistinct: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
  BatchRequestTooLong: 'AWS.SimpleQueueService.BatchRequestTooLong',
  EmptyBatchRequest: 'AWS.SimpleQueueService.EmptyBatchRequest',
  InvalidBatchEntryId: 'AWS.SimpleQueueService.InvalidBatchEntryId',
  TooManyEntriesInBatchRequest: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
  UnsupportedOperation: 'AWS.SimpleQueueService.UnsupportedOperation',
  KmsAccessDenied: 'KMS.AccessDeniedException',
  KmsDisabled: 'KMS.DisabledException',
  KmsInvalidKeyUsage: 'KMS.InvalidKeyUsageException',
  KmsInvalidState: 'KMS.InvalidStateException',
  KmsNotFound: 'KMS.NotFoundException',
  KmsOptInRequired: 'KMS.OptInRequired',
  KmsThrottled: 'KMS.ThrottlingException',
};

/** A query-protocol error, ready to render. */
export interface SqsQueryError {
  readonly status: number;
  readonly type: 'Sender' | 'Receiver';
  readonly code: string;
  readonly message: string;
}

/**
 * The XML document of a successful query-protocol call.
 *
 * @example
 * queryResultXml('GetQueueUrl', { QueueUrl: 'http://localhost:4566/000000000000/q' }, 'req-1')
 * // <?xml version="1.0"?><GetQueueUrlResponse xmlns="…"><GetQueueUrlResult><QueueUrl>http://…</QueueUrl>…
 */
export function queryResultXml(action: string, output: Record<string, unknown>, requestId: string): string {
  const result = NO_RESULT.has(action) ? '' : element(`${action}Result`, members(action, output));
  const metadata = element('ResponseMetadata', element('RequestId', escapeXml(requestId)));
  return `<?xml version="1.0"?><${action}Response xmlns="${SQS_QUERY_NAMESPACE}">${result}${metadata}</${action}Response>`;
}

/** The XML document of a query-protocol error. */
export function queryErrorXml(error: SqsQueryError, requestId: string): string {
  const body = element('Type', error.type) + element('Code', escapeXml(error.code)) + element('Message', escapeXml(error.message)) + '<Detail/>';
  return `<?xml version="1.0"?><ErrorResponse xmlns="${SQS_QUERY_NAMESPACE}">${element('Error', body)}${element('RequestId', escapeXml(requestId))}</ErrorResponse>`;
}

/**
 * The query-protocol error for a JSON-protocol error response.
 *
 * @param queryErrorHeader the `x-amzn-query-error` header (`<code>;<Sender|Receiver>`), which AWS
 *   and fauxqs send with JSON errors for exactly this purpose; used for errors not in the table
 */
export function queryErrorOf(status: number, json: { __type?: unknown; message?: unknown; Message?: unknown }, queryErrorHeader?: string): SqsQueryError {
  const message = String(json.message ?? json.Message ?? '');
  const [headerCode, headerFault] = (queryErrorHeader ?? '').split(';');
  const type = headerFault === 'Sender' || headerFault === 'Receiver' ? headerFault : status >= 500 ? 'Receiver' : 'Sender';
  const name = String(json.__type ?? 'InternalError')
    .split('#')
    .pop()!;
  return { status, type, code: QUERY_ERROR_CODES[name] ?? (headerCode || name), message };
}

/** Escapes text for element content; `\r` too, which an XML parser would otherwise turn into `\n`. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r]/g, (c) => ESCAPES[c]);
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;' };

function element(name: string, content: string): string {
  return `<${name}>${content}</${name}>`;
}

/** The members of a structure as XML, in their JSON order. */
function members(action: string, structure: Record<string, unknown>): string {
  let xml = '';
  for (const [name, value] of Object.entries(structure)) {
    if (value === undefined || value === null) continue;
    const listElement = name === 'Successful' ? `${action}ResultEntry` : LIST_ELEMENTS[name];
    if (listElement && Array.isArray(value)) {
      for (const item of value) xml += element(listElement, scalarOrMembers(action, item));
    } else if (MAP_ELEMENTS[name] && isObject(value)) {
      const [entryElement, keyElement, valueElement] = MAP_ELEMENTS[name];
      for (const [key, entry] of Object.entries(value)) {
        xml += element(entryElement, element(keyElement, escapeXml(key)) + element(valueElement, scalarOrMembers(action, entry)));
      }
    } else {
      xml += element(name, scalarOrMembers(action, value));
    }
  }
  return xml;
}

function scalarOrMembers(action: string, value: unknown): string {
  return isObject(value) ? members(action, value) : escapeXml(String(value));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
