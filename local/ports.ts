import { createServer } from 'node:net';
import { PortInUseError } from './errors.js';

/** Listens on `port` and closes again; `true` when the port could be taken. */
function canListen(port: number, host?: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(false);
      else reject(error);
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port the operating system calls free right now (for engines that cannot be asked to pick one). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Fails with a message naming the port and what wanted it, before anything has started, so that a
 * busy port never leaves half a stack running. Port 0 (let the system choose) is always free.
 */
export async function assertPortFree(what: { port: number; name: string; variable: string; hint?: string }) {
  if (what.port === 0) return;
  if (!(await canListen(what.port))) throw new PortInUseError(what.port, what.name, what.variable, what.hint);
}
