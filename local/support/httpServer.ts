import type { Server } from 'node:http';

/** Starts `server` listening; rejects if the port is taken. */
export async function listen(server: Server, port: number, host: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}

/** Closes `server`; idle keep-alive connections at once, all of them when `dropActive` (a hung request must not hold it open). */
export async function closeServer(server: Server | undefined, dropActive = false): Promise<void> {
  if (server === undefined) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  if (dropActive) server.closeAllConnections();
  else server.closeIdleConnections();
  await closed;
}
