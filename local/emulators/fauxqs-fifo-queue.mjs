// FIFO receives as SQS does them, on top of fauxqs' in-memory queue. Written for fauxqs 1.9.2.
//
// Why: fauxqs 1.9.2 differs from SQS in two ways that change what a FIFO consumer sees.
// 1. `dequeueFifo` stops after the first message of each group, so a receive never holds two
//    messages of one group. SQS "returns as many messages with the same message group ID as
//    possible" (AWS knowledge center, sqs-fifo-messages-not-returned), so a Lambda FIFO batch often
//    holds several messages of a group, and a handler that reports only the failing one (not the
//    later ones of its group too) loses them on AWS. Locally it passed; now it fails here as well.
// 2. Messages whose visibility ends (timeout, or ChangeMessageVisibility 0) are put back with
//    `group.unshift(message)` one by one, so several messages of a group come back reversed.
//    SQS keeps a group in sequence order; here every such group is put back in sequence order.
//
// What stays fauxqs': the group lock (a group with any message in flight is skipped; fauxqs counts
// its in-flight messages in `fifoLockedGroups` and releases it on delete/expiry), the redrive check
// (receive count above maxReceiveCount → the message moves to the DLQ instead), receipt handles,
// and the message records. Not reproduced: fauxqs' optional "message spy" events for DLQ moves
// (sluice never enables spies).
//
// `assertFauxqsInternals` checks at start-up that the internals used here still exist and behave,
// so a fauxqs upgrade fails loudly instead of silently changing FIFO semantics.
import { randomUUID } from 'node:crypto';

export const WRITTEN_FOR_FAUXQS = '1.9.2';

/** How many messages one ReceiveMessage may return (SQS's limit; fauxqs validates it too). */
const MAX_RECEIVE = 10;

const groupOf = (message) => message.messageGroupId ?? '__default';

/** fauxqs stores sequence numbers as 20-digit zero-padded strings, so string order is numeric order. */
const bySequence = (a, b) => ((a.sequenceNumber ?? '') < (b.sequenceNumber ?? '') ? -1 : (a.sequenceNumber ?? '') > (b.sequenceNumber ?? '') ? 1 : 0);

function redriveOf(queue) {
  if (!queue.attributes.RedrivePolicy) return undefined;
  try {
    const policy = JSON.parse(queue.attributes.RedrivePolicy);
    return { maxReceiveCount: Number(policy.maxReceiveCount ?? Infinity), deadLetterTargetArn: policy.deadLetterTargetArn };
  } catch {
    return undefined; // fauxqs ignores an unparsable policy too
  }
}

/** Puts `message` in flight (locking its group once more) and returns it as ReceiveMessage shows it. */
function takeInFlight(queue, message, visibilitySeconds) {
  const receiptHandle = randomUUID();
  queue.inflightMessages.set(receiptHandle, { message, receiptHandle, visibilityDeadline: Date.now() + visibilitySeconds * 1000 });
  const group = groupOf(message);
  queue.fifoLockedGroups.set(group, (queue.fifoLockedGroups.get(group) ?? 0) + 1);
  const received = { MessageId: message.messageId, ReceiptHandle: receiptHandle, MD5OfBody: message.md5OfBody, Body: message.body };
  if (message.md5OfMessageAttributes) received.MD5OfMessageAttributes = message.md5OfMessageAttributes;
  if (Object.keys(message.messageAttributes ?? {}).length > 0) received.MessageAttributes = message.messageAttributes;
  return received;
}

/** Re-sorts the waiting messages of each group in `groups` by sequence number (they only ever need it after a put-back). */
function restoreOrder(queue, groups) {
  for (const group of groups) queue.fifoMessages.get(group)?.sort(bySequence);
}

/** A subclass of fauxqs' `SqsQueue` for FIFO queues; see the file comment for why. */
export function fifoQueueClass(SqsQueue) {
  return class SqsFifoQueue extends SqsQueue {
    /** Takes whole runs of a group, in order, before moving on to the next unlocked group. */
    dequeueFifo(maxCount, visibilityTimeoutOverride, dlqResolver) {
      this.processTimers();
      const limit = Math.min(maxCount, MAX_RECEIVE);
      const visibilitySeconds = visibilityTimeoutOverride ?? Number(this.attributes.VisibilityTimeout);
      const redrive = redriveOf(this);
      const received = [];
      for (const [group, waiting] of this.fifoMessages) {
        if (received.length >= limit) break;
        if (this.fifoLockedGroups.has(group)) continue; // a message of this group is in flight
        while (received.length < limit && waiting.length > 0) {
          const message = waiting.shift();
          message.approximateReceiveCount++;
          message.approximateFirstReceiveTimestamp ||= Date.now();
          const dlq = redrive && message.approximateReceiveCount > redrive.maxReceiveCount ? dlqResolver?.(redrive.deadLetterTargetArn) : undefined;
          if (dlq) dlq.enqueue(message);
          else received.push(takeInFlight(this, message, visibilitySeconds));
        }
        if (waiting.length === 0) this.fifoMessages.delete(group);
      }
      return received;
    }

    /** fauxqs' expiry, then the groups it put messages back into are re-sorted. */
    processTimers() {
      if (this.inflightMessages.size === 0) return super.processTimers();
      const inFlight = [...this.inflightMessages].map(([handle, entry]) => [handle, groupOf(entry.message)]);
      super.processTimers();
      restoreOrder(this, new Set(inFlight.filter(([handle]) => !this.inflightMessages.has(handle)).map(([, group]) => group)));
    }

    /** fauxqs' ChangeMessageVisibility; a message made visible at once goes back to its place in the group. */
    changeVisibility(receiptHandle, timeoutSeconds) {
      const entry = this.inflightMessages.get(receiptHandle);
      super.changeVisibility(receiptHandle, timeoutSeconds);
      if (entry && !this.inflightMessages.has(receiptHandle)) restoreOrder(this, [groupOf(entry.message)]);
    }
  };
}

/**
 * Throws unless fauxqs still has the internals `fifoQueueClass` relies on and the result behaves
 * as SQS: one receive returns a group's messages in order, the group stays locked while any is in
 * flight, and messages made visible again come back in order.
 */
export function assertFauxqsInternals({ SqsQueue, SqsStore, FifoQueue, version }) {
  const fail = (what) => {
    throw new Error(
      `local/emulators/fauxqs-fifo-queue.mjs was written for fauxqs ${WRITTEN_FOR_FAUXQS} and fauxqs ${version} breaks it: ${what}. ` +
        'Re-check dequeueFifo/processTimers/changeVisibility in node_modules/fauxqs/dist/sqs/sqsStore.js and update the glue (or pin fauxqs to ' +
        WRITTEN_FOR_FAUXQS +
        ').',
    );
  };
  for (const method of ['dequeue', 'dequeueFifo', 'processTimers', 'changeVisibility', 'deleteMessage', 'isFifo', 'enqueue']) {
    if (typeof SqsQueue.prototype[method] !== 'function') fail(`SqsQueue.prototype.${method} is missing`);
  }
  if (typeof SqsStore.prototype.createQueue !== 'function') fail('SqsStore.prototype.createQueue is missing');
  const probe = new FifoQueue('probe.fifo', 'http://probe/probe.fifo', 'arn:aws:sqs:us-east-1:000000000000:probe.fifo', {
    FifoQueue: 'true',
    VisibilityTimeout: '30',
  });
  for (const field of ['fifoMessages', 'fifoLockedGroups', 'inflightMessages']) {
    if (!(probe[field] instanceof Map)) fail(`SqsQueue#${field} is not a Map`);
  }
  for (const [i, body] of ['p1', 'p2', 'p3'].entries()) {
    probe.enqueue({
      messageId: body,
      body,
      md5OfBody: '',
      messageAttributes: {},
      messageGroupId: 'g',
      sequenceNumber: String(i + 1).padStart(20, '0'),
      approximateReceiveCount: 0,
      sentTimestamp: Date.now(),
    });
  }
  const bodies = (messages) => messages.map((message) => message.Body).join(',');
  const first = probe.dequeue(10, undefined, () => undefined);
  if (bodies(first) !== 'p1,p2,p3') fail(`a receive of one group returned [${bodies(first)}], expected [p1,p2,p3]`);
  probe.enqueue({
    messageId: 'p4',
    body: 'p4',
    md5OfBody: '',
    messageAttributes: {},
    messageGroupId: 'g',
    sequenceNumber: String(4).padStart(20, '0'),
    approximateReceiveCount: 0,
    sentTimestamp: Date.now(),
  });
  if (probe.dequeue(10, undefined, () => undefined).length !== 0) fail('a group with messages in flight was not locked');
  for (const message of first) probe.changeVisibility(message.ReceiptHandle, 0);
  const again = probe.dequeue(10, undefined, () => undefined);
  if (bodies(again) !== 'p1,p2,p3,p4') fail(`messages made visible again came back as [${bodies(again)}], expected [p1,p2,p3,p4]`);
  probe.cancelWaiters?.();
}
