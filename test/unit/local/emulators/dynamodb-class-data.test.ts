/**
 * DynamoDB Local runs from a copy of its jar without `Class-Path` (JDK 17 refuses to archive the
 * original's `.` entry) and with a class-data archive that is only ever used once it is whole.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { classDataPlan, dynamoDbClassPath, finishClassData, isClassDataWarning } from '../../../../local/emulators/dynamodb-class-data';
import { dynamoDbLocalDir } from '../../../../local/emulators/dynamodb';
import { MANIFEST_PATH, parseManifest, readZipEntry, replaceManifest } from '../../../../local/emulators/jar-manifest';

const jarDir = dynamoDbLocalDir();
const original = readFileSync(path.join(jarDir, 'DynamoDBLocal.jar'));
const originalManifest = parseManifest(readZipEntry(original, MANIFEST_PATH)!.toString('utf8'));

describe('replaceManifest', () => {
  const copy = replaceManifest(original, 'Manifest-Version: 1.0\r\nMain-Class: a.B\r\n\r\n');

  it('gives the copy the new manifest and keeps every other entry byte for byte', () => {
    expect(Object.fromEntries(parseManifest(readZipEntry(copy, MANIFEST_PATH)!.toString('utf8')))).toEqual({ 'Manifest-Version': '1.0', 'Main-Class': 'a.B' });
    expect(readZipEntry(copy, 'log4j2.xml')).toEqual(readZipEntry(original, 'log4j2.xml'));
    expect(readZipEntry(copy, 'log4j2.xml')!.toString('utf8')).toContain('<Configuration');
  });

  it('reads the original manifest: continuation lines joined, `.` first on the class path', () => {
    expect(originalManifest.get('Main-Class')).toBe('software.amazon.dynamodb.services.local.main.ServerRunner');
    expect(originalManifest.get('Class-Path')!.split(' ').slice(0, 3)).toEqual(['.', 'log4j2.xml', 'DynamoDBLocal_lib/Apache-HttpComponents-HttpClient-4.5.x.jar']);
  });
});

describe('dynamoDbClassPath', () => {
  it('puts the copy first, then only the jars of the manifest in its order, each under the package folder', () => {
    const cache = mkdtempSync(path.join(os.tmpdir(), 'sluice-cds-'));
    const { classPath, mainClass } = dynamoDbClassPath(jarDir, cache);
    expect(mainClass).toBe(originalManifest.get('Main-Class'));
    expect(classPath[0].startsWith(cache)).toBe(true);
    expect(parseManifest(readZipEntry(readFileSync(classPath[0]), MANIFEST_PATH)!.toString('utf8')).has('Class-Path')).toBe(false);
    const jars = originalManifest
      .get('Class-Path')!
      .split(' ')
      .filter((entry) => entry.endsWith('.jar'));
    expect(classPath.slice(1)).toEqual(jars.map((jar) => path.join(jarDir, jar)));
    expect(dynamoDbClassPath(jarDir, cache).classPath).toEqual(classPath);
  });
});

describe('class-data archive', () => {
  it('is written into a temporary file, kept after a JVM exit, and used from then on', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sluice-cds-'));
    const write = classDataPlan(dir, 'java', ['-Xmx256m']);
    if (write.mode !== 'write') throw new Error(`expected a write plan, got ${write.mode}`);
    expect(write.flags[0]).toBe(`-XX:ArchiveClassesAtExit=${write.temporary}`);
    writeFileSync(write.temporary, 'archive');
    expect(finishClassData(write, 143)).toBe(true);
    expect(classDataPlan(dir, 'java', ['-Xmx256m'])).toEqual({ mode: 'use', archive: write.archive, flags: [`-XX:SharedArchiveFile=${write.archive}`] });
    expect(classDataPlan(dir, 'java', ['-Xmx512m']).mode).toBe('write');
  });

  it('is thrown away after a JVM was killed (a truncated archive crashes the next JVM)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sluice-cds-'));
    const write = classDataPlan(dir, 'java', []);
    if (write.mode !== 'write') throw new Error(`expected a write plan, got ${write.mode}`);
    writeFileSync(write.temporary, 'half an archive');
    expect(finishClassData(write, null)).toBe(false);
    expect(existsSync(write.temporary) || existsSync(write.archive)).toBe(false);
  });

  it('knows the JVM warning that says an archive was not used', () => {
    expect(isClassDataWarning('[0.280s][warning][cds,dynamic] Unable to use shared archive. The top archive failed to load: /x.jsa')).toBe(true);
    expect(isClassDataWarning('Initializing DynamoDB Local with the following configuration:')).toBe(false);
  });
});
