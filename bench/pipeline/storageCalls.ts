import { existsSync, readFileSync, statSync } from 'node:fs';

export interface StorageCalls {
  /** Every request Azurite served. */
  total: number;
  /** Of those, receives from a queue (including polls of an empty one). */
  receives: number;
}

const REQUEST = /^(\S+) \S+ \w+: \w+StorageContextMiddleware: RequestMethod=(\w+) RequestURL=(\S+)/;

/** Counts the requests Azurite logged (its `--debug` log) between two instants. */
export function countStorageCalls(debugLog: string, from: Date, to: Date): StorageCalls {
  const start = from.toISOString();
  const end = to.toISOString();
  const calls: StorageCalls = { total: 0, receives: 0 };
  for (const line of readFileSync(debugLog, 'utf8').split('\n')) {
    const match = REQUEST.exec(line);
    if (match === null) continue;
    const [, at = '', method, url = ''] = match;
    if (at < start || at > end) continue;
    calls.total++;
    if (method === 'GET' && /\/messages(\?|$)/.test(url) && !url.includes('peekonly=true')) calls.receives++;
  }
  return calls;
}

/** Azurite writes its log behind the requests: wait until the file stops growing before it stops. */
export async function logWritten(debugLog: string | undefined): Promise<void> {
  if (debugLog === undefined) return;
  let size = -1;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = existsSync(debugLog) ? statSync(debugLog).size : 0;
    if (now === size) return;
    size = now;
  }
}
