import { existsSync, readFileSync, statSync } from 'node:fs';
import { QueueServiceClient } from '@azure/storage-queue';

export interface StorageCalls {
  /** Every request Azurite served. */
  total: number;
  /** Of those, receives from a queue (including polls of an empty one). */
  receives: number;
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
  let inside = false;
  for (const line of readFileSync(debugLog, 'utf8').split('\n')) {
    const match = REQUEST.exec(line);
    if (match === null) continue;
    const [, method, url = ''] = match;
    if (url.includes(START_MARK)) inside = true;
    else if (url.includes(END_MARK)) return calls;
    else if (inside) {
      calls.total++;
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
  return { total: calls.total / result.orders, receives: calls.receives / result.orders };
}
