import net from 'node:net';

/** A port the local cloud listens on, with the variable that moves it. */
export interface ListenPort {
  readonly port: number;
  /** `SLUICE_AWS_PORT` or `SLUICE_API_PORT`. */
  readonly envVar: string;
  /** What listens there, for the message: "AWS endpoint", "API". */
  readonly role: string;
}

/** What usually holds the local cloud's ports, by port. */
const USUAL_HOLDERS: Readonly<Record<number, string>> = {
  4566: 'another `npm start` of this project, or LocalStack (`docker compose ps`, `npm run localstack:down`)',
  3000: 'another `npm start` of this project, or a web dev server (3000 is a common default)',
};

/** Thrown when a port the local cloud needs is taken; the message says by what and how to move it. */
export class PortInUseError extends Error {
  constructor(
    readonly listenPort: ListenPort,
    options?: ErrorOptions,
  ) {
    super(portInUseMessage(listenPort), options);
    this.name = 'PortInUseError';
  }
}

/**
 * The message for a taken port: names the port, what usually holds it, and the variables that
 * move both ports (so a second local cloud can run beside the first).
 *
 * @example portInUseMessage({ port: 4566, envVar: 'SLUICE_AWS_PORT', role: 'AWS endpoint' })
 */
export function portInUseMessage({ port, envVar, role }: ListenPort): string {
  const holder = USUAL_HOLDERS[port] ?? 'another `npm start` of this project, or another server';
  return [
    `port ${port} (the ${role}) is already in use on 127.0.0.1.`,
    `It is usually held by ${holder}; \`lsof -iTCP:${port} -sTCP:LISTEN\` (or \`ss -ltnp 'sport = :${port}'\`) shows the process.`,
    `Stop it, or move this local cloud: ${envVar}=<port> npm start` + ' (the variables are SLUICE_AWS_PORT, default 4566, and SLUICE_API_PORT, default 3000).',
  ].join('\n');
}

/** Resolves when `port` can be bound on 127.0.0.1 (and releases it); rejects with the bind error otherwise. */
function probe(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve()));
  });
}

/**
 * Checks that every fixed port (0 = any free port is skipped) can be bound before anything starts,
 * so a taken port fails in a second with {@link PortInUseError} instead of `listen EADDRINUSE`
 * after the emulators have started.
 *
 * @throws PortInUseError for the first taken port
 */
export async function assertPortsFree(ports: readonly ListenPort[]): Promise<void> {
  for (const listenPort of ports) {
    if (listenPort.port === 0) continue;
    try {
      await probe(listenPort.port);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE' || (error as NodeJS.ErrnoException).code === 'EACCES') {
        throw new PortInUseError(listenPort, { cause: error });
      }
      throw error;
    }
  }
}

/**
 * Turns a late `EADDRINUSE` (a port taken between the check and the listen) into
 * {@link PortInUseError}; other errors pass through unchanged.
 */
export function explainListenError(error: unknown, ports: readonly ListenPort[]): unknown {
  const errno = error as NodeJS.ErrnoException & { port?: number };
  if (errno?.code !== 'EADDRINUSE') return error;
  const taken = ports.find((p) => p.port === errno.port) ?? ports.find((p) => errno.message?.includes(`:${p.port}`));
  return taken ? new PortInUseError(taken, { cause: error }) : error;
}
