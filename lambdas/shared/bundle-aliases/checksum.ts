/**
 * What every sluice function bundles in place of `@smithy/core/checksum` (the alias in
 * lib/sluice-function.ts `BUNDLE_ALIASES`): the clients take only `Sha256` (SigV4 signing) and
 * `Md5` (SQS message checks) from it, and on Node.js both are `node:crypto` hashes, yet the module
 * also brings their pure-JavaScript fallbacks for runtimes without `crypto`, about 5 KB of each
 * bundle. These are the same two hashes, on `node:crypto` only (Lambda's Node.js always has it).
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';

/** What the SDK hands a hash: text (UTF-8) or bytes. */
type HashInput = string | ArrayBuffer | ArrayBufferView;

function toBuffer(data: HashInput): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

function toBytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/**
 * SHA-256, or HMAC-SHA-256 when built with a secret (the SDK's `Checksum` interface). A plain hash
 * can be digested more than once and updated after; an HMAC is finished by its digest.
 */
export class Sha256 {
  public readonly digestLength = 32;
  #hash: Hash | Hmac;
  #finished = false;

  public constructor(private readonly secret?: HashInput) {
    this.#hash = this.#create();
  }

  /** @throws Error when an HMAC was already digested (call `reset` first) */
  public update(data: HashInput): void {
    if (this.#finished) throw new Error('HMAC already digested: call reset() first');
    this.#hash.update(toBuffer(data));
  }

  public async digest(): Promise<Uint8Array> {
    if (this.secret === undefined) return toBytes((this.#hash as Hash).copy().digest());
    this.#finished = true;
    return toBytes(this.#hash.digest());
  }

  public reset(): void {
    this.#hash = this.#create();
    this.#finished = false;
  }

  #create(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(this.secret));
  }
}

/** MD5 (the SDK's `Checksum` interface), as SQS uses it to check message bodies and attributes. */
export class Md5 {
  public readonly digestLength = 16;
  #hash = createHash('md5');

  public update(data: HashInput): void {
    this.#hash.update(toBuffer(data));
  }

  public async digest(): Promise<Uint8Array> {
    return toBytes(this.#hash.copy().digest());
  }

  public reset(): void {
    this.#hash = createHash('md5');
  }
}
