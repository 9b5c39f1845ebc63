import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * The first port of the range the system hands out for outgoing connections (Linux's
 * `ip_local_port_range`; 32768 where it cannot be read). A port asked of the system with
 * `listen(0)` comes from that same range, so between the moment it is found free and the moment
 * the server that is to use it binds, any outgoing connection on the machine may take it. Ports
 * chosen below that range are not handed out by the system and stay free until someone binds them.
 */
function ephemeralRangeStart(): number {
  try {
    const [first] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    const port = Number(first);
    return Number.isInteger(port) && port > 21_000 ? port : 32_768;
  } catch {
    return 32_768;
  }
}

const RANGE_END = ephemeralRangeStart();
const RANGE_START = 20_000;

/** Whether a server can listen on the port now; resolves with the port it got (the one asked, or any for 0). */
function tryListen(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : undefined));
    });
  });
}

/**
 * A TCP port on 127.0.0.1 that nothing listens on right now, picked at random below the system's
 * range for outgoing connections (so no outgoing connection takes it before the server binds).
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const candidate = RANGE_START + Math.floor(Math.random() * (RANGE_END - RANGE_START));
    if ((await tryListen(candidate)) === candidate) return candidate;
  }
  const any = await tryListen(0);
  if (any === undefined) throw new Error('no free port on 127.0.0.1');
  return any;
}

/** Resolves once something accepts connections on the port, or rejects after `timeoutMs`. */
export async function waitForPort(port: number, timeoutMs: number, host = '127.0.0.1'): Promise<void> {
  const { connect } = await import('node:net');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, host);
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${host}:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
