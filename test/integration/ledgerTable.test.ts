import { LedgerTable } from '../../src/adapters/tables/LedgerTable';
import { ErrorCodes } from '../../src/domain/errorCodes';
import { claimSubmission, newLedgerEntry, OrderStates, recordPushSent } from '../../src/domain/orderLedger';
import { updateLedger } from '../../src/flows/shared/updateLedger';
import { startTestAzurite } from '../support/azurite';

jest.setTimeout(60_000);

describe('the ledger table against Azurite', () => {
  let azurite: Awaited<ReturnType<typeof startTestAzurite>>;
  let ledger: LedgerTable;
  const now = new Date('2026-11-23T10:00:00Z');

  beforeAll(async () => {
    azurite = await startTestAzurite();
    ledger = new LedgerTable(azurite.connectionString);
  });
  afterAll(async () => {
    await azurite.stop();
  });

  it('reads back what it wrote, with a new etag on every write', async () => {
    const created = await ledger.create(newLedgerEntry('1001', 2, 'ECP-1001', now));
    const read = await ledger.get('1001');
    expect(read?.entry).toEqual(created.entry);
    expect(read?.etag).toBe(created.etag);
    const replaced = await ledger.replace(recordPushSent({ ...created.entry, state: OrderStates.SUBMITTING }, now), created.etag);
    expect(replaced.etag).not.toBe(created.etag);
    expect((await ledger.get('1001'))?.entry).toMatchObject({
      state: OrderStates.SUBMITTING,
      pushAttempts: 1,
      pushPending: true,
      orderVersion: 2,
    });
    expect(await ledger.get('no-such-order')).toBeUndefined();
  });

  it('refuses a write with a stale etag, and a second create of the same order, as STORAGE.CONFLICT', async () => {
    const first = await ledger.create(newLedgerEntry('1002', 1, 'ECP-1002', now));
    await ledger.replace({ ...first.entry, lastErrorCode: 'ERP.UNAVAILABLE' }, first.etag);
    await expect(ledger.replace({ ...first.entry, state: OrderStates.PARKED }, first.etag)).rejects.toMatchObject({
      code: ErrorCodes.STORAGE_CONFLICT,
      transient: true,
    });
    await expect(ledger.create(newLedgerEntry('1002', 1, 'ECP-1002', now))).rejects.toMatchObject({ code: ErrorCodes.STORAGE_CONFLICT });
    expect((await ledger.get('1002'))?.entry).toMatchObject({ state: OrderStates.RECEIVED, lastErrorCode: 'ERP.UNAVAILABLE' });
  });

  it('lets exactly one of many attempts racing for the same order claim it', async () => {
    const claims = await Promise.all(
      Array.from({ length: 12 }, async () => {
        const { result } = await updateLedger(ledger, '1003', (current) => {
          const decision = claimSubmission(current ?? newLedgerEntry('1003', 1, 'ECP-1003', now), now, 60_000);
          return decision.kind === 'claimed' ? { write: decision.entry, result: decision.kind } : { result: decision.kind };
        });
        return result;
      }),
    );
    expect(claims.filter((kind) => kind === 'claimed')).toHaveLength(1);
    expect(claims.filter((kind) => kind === 'inProgress')).toHaveLength(11);
  });

  it('loses no update when many writers change the same entry at once', async () => {
    await ledger.create(newLedgerEntry('1004', 1, 'ECP-1004', now));
    await Promise.all(
      Array.from({ length: 6 }, () =>
        updateLedger(ledger, '1004', (current) => ({ write: recordPushSent(current!, now), result: undefined })),
      ),
    );
    expect((await ledger.get('1004'))?.entry.pushAttempts).toBe(6);
  });
});
