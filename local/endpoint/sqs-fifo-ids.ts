/**
 * The SQS rule fauxqs does not check: a `MessageDeduplicationId` or `MessageGroupId` is 1–128
 * characters, each alphanumeric or ASCII punctuation (SQS API reference, SendMessage). Without it
 * an id that AWS refuses would be accepted locally, and code that builds ids from user data (an
 * owner's name, a subject with spaces) would pass every local test and fail on its first deploy.
 */

/** 1–128 of a-z, A-Z, 0-9 and the punctuation !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~ */
const SQS_ID = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/;
const ID_PARAMETERS = ['MessageDeduplicationId', 'MessageGroupId'] as const;

/**
 * Why AWS would refuse this SendMessage or SendMessageBatch input's ids, or undefined.
 *
 * A batch is refused whole, naming the entry: AWS's per-entry answer for this case is not
 * documented, and refusing loudly is safer than a partial send that differs from AWS.
 *
 * @example
 * fifoIdRefusal('SendMessage', { MessageGroupId: 'acc 1' });
 * // 'Value acc 1 for parameter MessageGroupId is invalid. Reason: …'
 */
export function fifoIdRefusal(action: string, input: Record<string, unknown>): string | undefined {
  if (action === 'SendMessage') return idsRefusal(input, '');
  if (action !== 'SendMessageBatch' || !Array.isArray(input.Entries)) return undefined;
  for (const entry of input.Entries as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const id = (entry as Record<string, unknown>).Id;
    const refusal = idsRefusal(entry as Record<string, unknown>, ` (batch entry ${JSON.stringify(id)})`);
    if (refusal) return refusal;
  }
  return undefined;
}

function idsRefusal(input: Record<string, unknown>, where: string): string | undefined {
  for (const parameter of ID_PARAMETERS) {
    const value = input[parameter];
    if (value === undefined || (typeof value === 'string' && SQS_ID.test(value))) continue;
    return (
      `Value ${String(value)} for parameter ${parameter}${where} is invalid. Reason: ${parameter} can only include ` +
      `alphanumeric and punctuation characters, 1 to 128 in length (sluice local endpoint: checked as AWS does).`
    );
  }
  return undefined;
}

/** The SQS JSON-protocol targets whose ids are checked before fauxqs sees them. */
export const ID_CHECKED_TARGETS: ReadonlySet<string> = new Set(['AmazonSQS.SendMessage', 'AmazonSQS.SendMessageBatch']);
