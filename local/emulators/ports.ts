import net from 'node:net';

/** The loopback address every local-cloud server binds to. */
export const LOOPBACK = '127.0.0.1';

/**
 * Asks the OS for a free TCP port on the loopback interface.
 *
 * The port is released before it is returned, so another process could take it in between;
 * callers that can listen on port 0 themselves should do that instead.
 */
export async function findFreePort(host = LOOPBACK): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once `host:port` accepts TCP connections, polling every `intervalMs`; rejects after `timeoutMs`. */
export async function waitForPort(port: number, host = LOOPBACK, timeoutMs = 30_000, intervalMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ port, host });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing is listening on ${host}:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
