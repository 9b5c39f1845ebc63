import { existsSync, readFileSync, statSync } from 'node:fs';
import { QueueServiceClient } from '@azure/storage-queue';

export interface StorageCalls {
  /** Every request Azurite served. */
  total: number;
  /** Of those, receives from a queue (including polls of an empty one). */
  receives: number;
  /** Requests by method and resource (`GET queue online-orders/messages`), the most first. */
  byResource?: [string, number][];
}

/** A request's resource without its keys: the account's container, queue or table, and what of it. */
function resourceOf(method: string, url: string): string {
  const { pathname } = new URL(url);
  const [, , name = '', what = ''] = pathname.split('/');
  const table = /^([A-Za-z0-9]+)\(/.exec(name)?.[1];
  return `${method} ${table ?? name.replace(/\d+$/, 'N')}${what === '' || table !== undefined ? '' : `/${what.replace(/[0-9a-f-]{36}.*/, '{id}')}`}`;
}

const REQUEST = /\w+StorageContextMiddleware: RequestMethod=(\w+) RequestURL=(\S+)/;
const START_MARK = 'bench-mark-start';
const END_MARK = 'bench-mark-end';

/**
 * Marks the timed phase in Azurite's request log with two requests of its own: the log's
 * timestamps lag behind under load, but its order is the order Azurite served the requests in.
 */
export function storageMarks(connectionString: string): { starting: () => Promise<void>; ended: () => Promise<void> } {
  const queues = QueueServiceClient.fromConnectionString(connectionString);
  const mark = (name: string) => async (): Promise<void> => {
    await queues.getQueueClient(name).exists();
  };
  return { starting: mark(START_MARK), ended: mark(END_MARK) };
}

/** Counts the requests Azurite logged (its `--debug` log) between the two marks. */
export function countStorageCalls(debugLog: string): StorageCalls {
  const calls: StorageCalls = { total: 0, receives: 0 };
  const byResource = new Map<string, number>();
  let inside = false;
  for (const line of readFileSync(debugLog, 'utf8').split('\n')) {
    const match = REQUEST.exec(line);
    if (match === null) continue;
    const [, method, url = ''] = match;
    if (url.includes(START_MARK)) inside = true;
    else if (url.includes(END_MARK)) return { ...calls, byResource: [...byResource].sort((a, b) => b[1] - a[1]) };
    else if (inside) {
      calls.total++;
      const resource = resourceOf(method ?? '', url);
      byResource.set(resource, (byResource.get(resource) ?? 0) + 1);
      if (method === 'GET' && /\/messages(\?|$)/.test(url) && !url.includes('peekonly=true')) calls.receives++;
    }
  }
  throw new Error(`the marks of the timed phase are missing from ${debugLog}`);
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

/** Per timed order, from Azurite's debug log, once Azurite has stopped and flushed it. */
export function storageCallsPerOrder(debugLog: string | undefined, result: { orders: number }): StorageCalls | undefined {
  if (debugLog === undefined) return undefined;
  const calls = countStorageCalls(debugLog);
  return {
    total: calls.total / result.orders,
    receives: calls.receives / result.orders,
    byResource: (calls.byResource ?? []).map(([resource, n]) => [resource, n / result.orders]),
  };
}
