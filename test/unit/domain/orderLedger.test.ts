import {
  claimSubmission,
  newLedgerEntry,
  OrderStates,
  recordFailure,
  recordPushSent,
  recordSubmitted,
} from '../../../src/domain/orderLedger';

const now = new Date('2026-11-23T10:00:00Z');
const fresh = () => newLedgerEntry('10001', 1, 'ECP-10001', now);

describe('order ledger', () => {
  it('claims a new order without a look-up and leases it', () => {
    const claim = claimSubmission(fresh(), now, 30_000);
    expect(claim).toMatchObject({
      kind: 'claimed',
      mustLookUp: false,
      entry: { state: OrderStates.SUBMITTING, leaseUntil: '2026-11-23T10:00:30.000Z' },
    });
  });

  it('never claims a submitted order again', () => {
    const submitted = recordSubmitted(recordPushSent(fresh(), now), 'SO-1', now);
    expect(claimSubmission(submitted, now, 30_000)).toEqual({ kind: 'alreadySubmitted', erpOrderId: 'SO-1' });
  });

  it('leaves an order held by a live lease alone', () => {
    const claim = claimSubmission(fresh(), now, 30_000);
    if (claim.kind !== 'claimed') throw new Error('expected a claim');
    expect(claimSubmission(claim.entry, new Date(now.getTime() + 29_000), 30_000)).toEqual({
      kind: 'inProgress',
      leaseUntil: '2026-11-23T10:00:30.000Z',
    });
  });

  it('demands a look-up when a lease expired (the attempt may have sent its create)', () => {
    const claim = claimSubmission(fresh(), now, 30_000);
    if (claim.kind !== 'claimed') throw new Error('expected a claim');
    expect(claimSubmission(claim.entry, new Date(now.getTime() + 31_000), 30_000)).toMatchObject({ kind: 'claimed', mustLookUp: true });
  });

  it('demands a look-up after an ambiguous failure, and not after a clean refusal', () => {
    const sent = recordPushSent(fresh(), now);
    const ambiguous = recordFailure(sent, { code: 'ERP.TIMEOUT', parked: false, pushMayHaveCommitted: true }, now);
    const refused = recordFailure(sent, { code: 'ERP.THROTTLED', parked: false, pushMayHaveCommitted: false }, now);
    expect(claimSubmission(ambiguous, now, 1000)).toMatchObject({ kind: 'claimed', mustLookUp: true });
    expect(claimSubmission(refused, now, 1000)).toMatchObject({ kind: 'claimed', mustLookUp: false });
  });

  it('counts creates and clears the lease and the last error once submitted', () => {
    const failed = recordFailure(recordPushSent(fresh(), now), { code: 'ERP.TIMEOUT', parked: false, pushMayHaveCommitted: true }, now);
    const claim = claimSubmission(failed, now, 30_000);
    if (claim.kind !== 'claimed') throw new Error('expected a claim');
    expect(claim.entry).toMatchObject({ lastErrorCode: 'ERP.TIMEOUT', leaseUntil: '2026-11-23T10:00:30.000Z' });

    const done = recordSubmitted(recordPushSent(claim.entry, now), 'SO-9', now);

    expect(done).toEqual(
      expect.objectContaining({ state: OrderStates.SUBMITTED, erpOrderId: 'SO-9', pushAttempts: 2, pushPending: false }),
    );
    expect(done).not.toHaveProperty('leaseUntil');
    expect(done).not.toHaveProperty('lastErrorCode');
  });

  it('parks or awaits retry, keeping whether a create may be in the ERP', () => {
    const parked = recordFailure(
      recordPushSent(fresh(), now),
      { code: 'ECP.ORDER_INVALID', parked: true, pushMayHaveCommitted: true },
      now,
    );
    expect(parked).toMatchObject({ state: OrderStates.PARKED, pushPending: true, lastErrorCode: 'ECP.ORDER_INVALID' });
    expect(claimSubmission(parked, now, 1000)).toMatchObject({ kind: 'claimed', mustLookUp: true });
  });
});
