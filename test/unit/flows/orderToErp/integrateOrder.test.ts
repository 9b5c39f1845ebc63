import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ErrorCodes } from '../../../../src/domain/errorCodes';
import { compileMapping } from '../../../../src/mapping/compileMapping';
import { HubError } from '../../../../src/domain/HubError';
import { OrderStates } from '../../../../src/domain/orderLedger';
import { integrateOrder as integrate, type IntegrateOrderDeps } from '../../../../src/flows/orderToErp/integrateOrder';
import type { HubMessage } from '../../../../src/flows/shared/hubMessage';
import { JourneyRecorder } from '../../../../src/flows/shared/JourneyRecorder';
import { ecpOrderFactory } from '../../../support/ecpOrderFactory';
import { MAPPINGS_DIR, orderMappings } from '../../../support/mappings';
import {
  FakeErp,
  InMemoryClaimChecks,
  InMemoryInFlight,
  InMemoryJourney,
  InMemoryLedger,
  InMemoryParked,
  RecordingLifecycle,
  RecordingSender,
} from '../../../support/fakes';

function setup() {
  let clock = Date.parse('2026-11-23T10:00:00Z');
  const deps: IntegrateOrderDeps & {
    ledger: InMemoryLedger;
    journey: InMemoryJourney;
    parked: InMemoryParked;
    erp: FakeErp;
    sender: RecordingSender;
    claimChecks: InMemoryClaimChecks;
    lifecycle: RecordingLifecycle;
    inFlight: InMemoryInFlight;
  } = {
    ledger: new InMemoryLedger(),
    journey: new InMemoryJourney(),
    parked: new InMemoryParked(),
    erp: new FakeErp(),
    sender: new RecordingSender(),
    claimChecks: new InMemoryClaimChecks(),
    lifecycle: new RecordingLifecycle(),
    inFlight: new InMemoryInFlight(),
    mappings: orderMappings,
    retryPolicy: { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 60_000 },
    submissionLeaseMs: 30_000,
    lookUpBeforeEveryCreate: false,
    now: () => new Date(clock),
    random: () => 0.5,
  };
  const advance = (ms: number): void => {
    clock += ms;
  };
  return { deps, advance };
}

/** erpIntegrator's use case, its steps recorded in the test's journey. */
const integrateOrder = (m: HubMessage, deps: IntegrateOrderDeps & { journey: InMemoryJourney }) =>
  integrate(m, deps, new JourneyRecorder(deps.journey, 'erpIntegrator', deps.now));

function message(overrides: Partial<HubMessage> = {}): HubMessage {
  return {
    body: ecpOrderFactory(),
    messageId: '10001:v1',
    sessionId: '10001',
    attempt: 1,
    applicationProperties: { orderVersion: 1, attempt: 1 },
    ...overrides,
  };
}

const unavailable = (ambiguous: boolean) => new HubError(ErrorCodes.ERP_UNAVAILABLE, 'ERP answered 503', { transient: true, ambiguous });

describe('integrateOrder', () => {
  it('creates the sales order once, keyed by the external document number, and records it', async () => {
    const { deps } = setup();

    const result = await integrateOrder(message(), deps);

    expect(result).toEqual({ outcome: 'submitted', erpOrderId: 'SO-1', foundByLookUp: false });
    expect(deps.erp.created).toHaveLength(1);
    expect(deps.erp.created[0]!.idempotencyKey).toBe('ECP-10001');
    expect(deps.erp.created[0]!.order.shipmentMethodCode).toBe('EXP');
    expect(deps.ledger.rows.get('10001')!.entry).toMatchObject({
      state: OrderStates.SUBMITTED,
      erpOrderId: 'SO-1',
      pushAttempts: 1,
      pushPending: false,
    });
    expect(deps.journey.steps.map((s) => s.outcome)).toEqual(['ok']);
  });

  it('never creates a second ERP order for a redelivered or duplicate message', async () => {
    const { deps } = setup();
    await integrateOrder(message(), deps);

    const again = await integrateOrder(message({ messageId: '10001:v1#2', attempt: 2 }), deps);

    expect(again).toEqual({ outcome: 'duplicate', erpOrderId: 'SO-1' });
    expect(deps.erp.created).toHaveLength(1);
  });

  it("asks for the customer's confirmation once the ERP holds the order, and again (same message id) after a repeat delivery", async () => {
    const { deps } = setup();
    await integrateOrder(message(), deps);
    await integrateOrder(message({ messageId: '10001:v1#2', attempt: 2 }), deps);

    const requests = deps.sender.sent.filter((s) => s.queue === 'confirmations');
    expect(requests.map((r) => [r.message.messageId, r.message.sessionId])).toEqual([
      ['confirmation-order-10001', '10001'],
      ['confirmation-order-10001', '10001'],
    ]);
    expect(requests[0]!.message.body).toMatchObject({
      request: {
        kind: 'order',
        subjectId: '10001',
        erpOrderId: 'SO-1',
        customer: { email: expect.any(String) as unknown },
        lines: expect.any(Array) as unknown,
      },
    });
  });

  it('asks for no confirmation while the order is not in the ERP', async () => {
    const { deps } = setup();
    deps.erp.createFailures.push({ error: unavailable(false) });
    await integrateOrder(message(), deps);
    expect(deps.sender.sent.map((s) => s.queue)).toEqual(['online-orders']);
  });

  it('re-schedules a transient failure with backoff and the next attempt number', async () => {
    const { deps } = setup();
    deps.erp.createFailures.push({ error: unavailable(false) });

    const result = await integrateOrder(message(), deps);

    expect(result).toEqual({ outcome: 'retryScheduled', code: ErrorCodes.ERP_UNAVAILABLE, delayMs: 750 });
    const retry = deps.sender.sent[0]!;
    expect(retry.queue).toBe('online-orders');
    expect(retry.message).toMatchObject({
      messageId: '10001:v1#2',
      sessionId: '10001',
      applicationProperties: { attempt: 2, orderVersion: 1 },
    });
    expect(retry.message.scheduledEnqueueTime!.getTime() - deps.now().getTime()).toBe(750);
    expect(deps.ledger.rows.get('10001')!.entry).toMatchObject({
      state: OrderStates.AWAITING_RETRY,
      pushPending: false,
      lastErrorCode: ErrorCodes.ERP_UNAVAILABLE,
    });
  });

  it('looks the order up after an unanswered create and does not send it again', async () => {
    const { deps } = setup();
    deps.erp.createFailures.push({
      error: new HubError(ErrorCodes.ERP_TIMEOUT, 'timed out', { transient: true, ambiguous: true }),
      commitThenFail: true,
    });
    await integrateOrder(message(), deps);
    expect(deps.ledger.rows.get('10001')!.entry.pushPending).toBe(true);

    const result = await integrateOrder(message({ messageId: '10001:v1#2', attempt: 2 }), deps);

    expect(result).toEqual({ outcome: 'submitted', erpOrderId: 'SO-1', foundByLookUp: true });
    expect(deps.erp.lookups).toEqual(['ECP-10001']);
    expect(deps.erp.created).toHaveLength(1);
  });

  it('sends the create again when the look-up shows the unanswered one never arrived', async () => {
    const { deps } = setup();
    deps.erp.createFailures.push({ error: unavailable(true) });
    await integrateOrder(message(), deps);

    const result = await integrateOrder(message({ attempt: 2 }), deps);

    expect(result).toMatchObject({ outcome: 'submitted', foundByLookUp: false });
    expect(deps.erp.lookups).toHaveLength(1);
    expect(deps.erp.created).toHaveLength(1);
  });

  it('treats an attempt that died mid-way (expired lease) as ambiguous and looks up first', async () => {
    const { deps, advance } = setup();
    await deps.ledger.create({
      orderId: '10001',
      state: OrderStates.SUBMITTING,
      orderVersion: 1,
      externalDocumentNumber: 'ECP-10001',
      pushAttempts: 1,
      pushPending: false,
      leaseUntil: new Date(deps.now().getTime() + 1000).toISOString(),
      updatedAt: deps.now().toISOString(),
    });

    const blocked = await integrateOrder(message(), deps);
    expect(blocked).toMatchObject({ outcome: 'retryScheduled', code: ErrorCodes.ORDER_IN_PROGRESS });
    expect(deps.erp.created).toHaveLength(0);

    advance(2000);
    await integrateOrder(message({ attempt: 2 }), deps);
    expect(deps.erp.lookups).toEqual(['ECP-10001']);
    expect(deps.erp.created).toHaveLength(1);
  });

  it('parks an order that fails the ECP schema with the failing field paths, and never calls the ERP', async () => {
    const { deps } = setup();
    const broken = {
      ...ecpOrderFactory(),
      currency: 'EURO',
      lineItems: [{ id: 'L1', sku: 5, title: 'x', quantity: 0, unitPrice: 1, taxRate: 0.2 }],
    };

    const result = await integrateOrder(message({ body: broken }), deps);

    expect(result).toEqual({ outcome: 'parked', code: ErrorCodes.ECP_ORDER_INVALID });
    const parked = deps.parked.messages.get('online-orders/10001')!;
    expect(parked.details).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^currency:/),
        expect.stringMatching(/^lineItems\.0\.sku:/),
        expect.stringMatching(/^lineItems\.0\.quantity:/),
      ]),
    );
    expect(JSON.parse(parked.payload)).toEqual(broken);
    expect(deps.erp.created).toHaveLength(0);
    expect(deps.erp.lookups).toHaveLength(0);
    expect(deps.ledger.rows.get('10001')!.entry.state).toBe(OrderStates.PARKED);
  });

  it('parks a permanent ERP rejection at once with its reason', async () => {
    const { deps } = setup();
    deps.erp.createFailures.push({
      error: new HubError(ErrorCodes.ERP_REJECTED, 'ERP rejected create (422): unknown item numbers: X', { transient: false }),
    });

    const result = await integrateOrder(message(), deps);

    expect(result).toEqual({ outcome: 'parked', code: ErrorCodes.ERP_REJECTED });
    expect(deps.sender.sent).toHaveLength(0);
    expect(deps.parked.messages.get('online-orders/10001')!.reason).toContain('unknown item numbers');
  });

  it('parks after the last allowed attempt with RETRIES_EXHAUSTED and the last error', async () => {
    const { deps } = setup();
    deps.erp.createFailures.push({ error: unavailable(false) });

    const result = await integrateOrder(message({ attempt: 3 }), deps);

    expect(result).toEqual({ outcome: 'parked', code: ErrorCodes.ORDER_RETRIES_EXHAUSTED });
    expect(deps.parked.messages.get('online-orders/10001')!.reason).toContain(ErrorCodes.ERP_UNAVAILABLE);
    expect(deps.parked.messages.get('online-orders/10001')!.attempts).toBe(3);
  });

  it('refuses a message whose body is another order than its session', async () => {
    const { deps } = setup();

    const result = await integrateOrder(message({ sessionId: '99999' }), deps);

    expect(result).toEqual({ outcome: 'parked', code: ErrorCodes.MESSAGE_INVALID });
    expect(deps.erp.created).toHaveLength(0);
  });

  it('lets an unexpected failure (not a HubError) through for the queue to redeliver', async () => {
    const { deps } = setup();
    deps.ledger.get = () => Promise.reject(new Error('storage down'));

    await expect(integrateOrder(message(), deps)).rejects.toThrow('storage down');
    expect(deps.erp.created).toHaveLength(0);
  });

  it('maps a large order from the blob its claim check names, and re-schedules it with the same claim check', async () => {
    const { deps } = setup();
    const blob = await deps.claimChecks.put('online-orders', ecpOrderFactory());
    deps.erp.createFailures.push({ error: unavailable(false) });
    const claimed = message({ body: { claimCheck: blob }, applicationProperties: { orderVersion: 1, attempt: 1, claimCheck: blob } });

    expect(await integrateOrder(claimed, deps)).toMatchObject({ outcome: 'retryScheduled' });
    const retry = deps.sender.sent[0]!.message;
    expect(retry.body).toEqual({ claimCheck: blob });
    expect(retry.applicationProperties).toMatchObject({ claimCheck: blob, attempt: 2 });

    expect(await integrateOrder({ ...claimed, attempt: 2, applicationProperties: retry.applicationProperties! }, deps)).toMatchObject({
      outcome: 'submitted',
    });
    expect(deps.erp.created).toHaveLength(1);
    expect(deps.erp.created[0]!.order.externalDocumentNumber).toBe('ECP-10001');
  });

  it('parks a message whose claim-checked body is gone with CLAIM_CHECK.MISSING, and never calls the ERP', async () => {
    const { deps } = setup();

    const result = await integrateOrder(
      message({
        body: { claimCheck: 'online-orders/gone.json' },
        applicationProperties: { attempt: 1, claimCheck: 'online-orders/gone.json' },
      }),
      deps,
    );

    expect(result).toEqual({ outcome: 'parked', code: ErrorCodes.CLAIM_CHECK_MISSING });
    expect(deps.erp.created).toHaveLength(0);
    expect(deps.parked.messages.get('online-orders/10001')!.reason).toContain('online-orders/gone.json');
  });

  it('refuses a mapping that changes the external document number, the idempotency key', async () => {
    const { deps } = setup();
    const file = path.join(MAPPINGS_DIR, 'canonical-to-erp-sales-order.yaml');
    const text = readFileSync(file, 'utf8').replace("concat('ECP-', orderId)", "concat('WEB-', orderId)");
    const { mapping } = compileMapping('mappings/canonical-to-erp-sales-order.yaml', text, path.dirname(file));
    deps.mappings = { ...orderMappings, canonicalToErpSalesOrder: mapping! };

    const result = await integrateOrder(message(), deps);

    expect(result).toEqual({ outcome: 'parked', code: ErrorCodes.MAPPING_INVALID_OUTPUT });
    expect(deps.parked.messages.get('online-orders/10001')!.reason).toContain('it must stay ECP-10001');
    expect(deps.erp.created).toHaveLength(0);
  });

  it('records on the journey which mappings mapped the order', async () => {
    const { deps } = setup();

    await integrateOrder(message(), deps);

    expect(deps.journey.steps.at(-1)!.mappings).toMatch(
      /^ecp-order-to-canonical@\d+#[0-9a-f]{8}, canonical-to-erp-sales-order@\d+#[0-9a-f]{8}$/,
    );
  });

  it('publishes OrderSubmittedToErp once the ERP holds the order', async () => {
    const { deps } = setup();
    await integrateOrder(message(), deps);
    expect(deps.lifecycle.events).toEqual([
      {
        id: '10001:OrderSubmittedToErp',
        type: 'OrderSubmittedToErp',
        orderId: '10001',
        occurredAt: '2026-11-23T10:00:00.000Z',
        data: { erpOrderId: 'SO-1' },
      },
    ]);
  });

  it('answers a 409 (the ERP already has the document number) with a look-up, and records the order found', async () => {
    const { deps } = setup();
    // An earlier create the hub has no record of: the ERP holds the order and refuses a second one.
    deps.erp.created.push({ order: { externalDocumentNumber: 'ECP-10001' } as never, idempotencyKey: 'ECP-10001' });
    deps.erp.createFailures.push({
      error: new HubError(ErrorCodes.ERP_DUPLICATE_DOCUMENT, 'ERP already has ECP-10001', { transient: false }),
    });

    const result = await integrateOrder(message(), deps);

    expect(result).toEqual({ outcome: 'submitted', erpOrderId: 'SO-1', foundByLookUp: true });
    expect(deps.erp.lookups).toEqual(['ECP-10001']);
    expect(deps.erp.created).toHaveLength(1);
    expect(deps.journey.steps.at(-1)).toMatchObject({
      outcome: 'ok',
      detail: expect.stringContaining('after the ERP refused a second create (409)'),
    });
    expect(deps.ledger.rows.get('10001')!.entry).toMatchObject({ state: OrderStates.SUBMITTED, erpOrderId: 'SO-1' });
  });

  it('stops, and sends nothing, when another attempt took the order over between its claim and its create', async () => {
    const { deps, advance } = setup();
    // Another attempt claims the order (its lease having ended) just before this one records its create.
    const replace = deps.ledger.replace.bind(deps.ledger);
    let writes = 0;
    deps.ledger.replace = async (entry, etag) => {
      if (++writes === 1 && entry.pushAttempts === 1) {
        advance(31_000);
        const current = (await deps.ledger.get('10001'))!;
        await replace({ ...current.entry, leaseUntil: new Date(deps.now().getTime() + 30_000).toISOString() }, current.etag);
        return await replace(entry, etag);
      }
      return await replace(entry, etag);
    };

    const result = await integrateOrder(message(), deps);

    expect(result).toMatchObject({ outcome: 'retryScheduled', code: ErrorCodes.ORDER_IN_PROGRESS });
    expect(deps.erp.created).toHaveLength(0);
    expect(deps.journey.steps.at(-1)).toMatchObject({ outcome: 'retry', detail: expect.stringContaining('taken over by another attempt') });
  });

  describe('ERP_LOOKUP_BEFORE_CREATE (after a storage failover or restore)', () => {
    it('looks a new order up before creating it, then creates it', async () => {
      const { deps } = setup();
      deps.lookUpBeforeEveryCreate = true;

      expect(await integrateOrder(message(), deps)).toEqual({ outcome: 'submitted', erpOrderId: 'SO-1', foundByLookUp: false });
      expect(deps.erp.lookups).toEqual(['ECP-10001']);
      expect(deps.erp.created).toHaveLength(1);
    });

    it('finds an order the ledger lost but the ERP holds, and creates nothing', async () => {
      const { deps } = setup();
      await integrateOrder(message(), deps);
      deps.ledger.rows.clear(); // the ledger's latest writes are gone; the ERP still has the order
      deps.lookUpBeforeEveryCreate = true;

      expect(await integrateOrder(message({ messageId: '10001:v1#2', attempt: 2 }), deps)).toEqual({
        outcome: 'submitted',
        erpOrderId: 'SO-1',
        foundByLookUp: true,
      });
      expect(deps.erp.created).toHaveLength(1);
      expect(deps.journey.steps.at(-1)).toMatchObject({ detail: expect.stringContaining('before creating it (ERP_LOOKUP_BEFORE_CREATE)') });
    });

    it('without it, the same lost ledger row means a second create: what the setting is for', async () => {
      const { deps } = setup();
      await integrateOrder(message(), deps);
      deps.ledger.rows.clear();

      await integrateOrder(message({ messageId: '10001:v1#2', attempt: 2 }), deps);
      expect(deps.erp.created).toHaveLength(2);
    });
  });
});
