import { ErrorCodes } from '../../domain/errorCodes';
import { HubError } from '../../domain/HubError';
import type { LedgerEntry } from '../../domain/orderLedger';
import type { OrderLedgerPort, VersionedLedgerEntry } from '../../ports/OrderLedgerPort';

const MAX_CONFLICTS = 8;

/**
 * Read-modify-write of one ledger entry under etag concurrency: `decide` sees the latest entry
 * (undefined when there is none) and returns the entry to write, or undefined to write nothing.
 * On a conflict it runs again on the fresh entry.
 */
export async function updateLedger<T>(
  ledger: OrderLedgerPort,
  orderId: string,
  decide: (current: LedgerEntry | undefined) => { write?: LedgerEntry; result: T },
): Promise<{ result: T; saved?: VersionedLedgerEntry }> {
  for (let conflicts = 0; ; conflicts++) {
    const current = await ledger.get(orderId);
    const { write, result } = decide(current?.entry);
    if (write === undefined) return current === undefined ? { result } : { result, saved: current };
    try {
      const saved = current === undefined ? await ledger.create(write) : await ledger.replace(write, current.etag, current.entry);
      return { result, saved };
    } catch (error) {
      if (!(HubError.isHubError(error) && error.code === ErrorCodes.STORAGE_CONFLICT) || conflicts >= MAX_CONFLICTS) throw error;
    }
  }
}
