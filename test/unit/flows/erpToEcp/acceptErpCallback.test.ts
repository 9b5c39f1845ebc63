import { acceptErpCallback, type AcceptErpCallbackDeps } from '../../../../src/flows/erpToEcp/acceptErpCallback';
import { JourneyRecorder } from '../../../../src/flows/shared/JourneyRecorder';
import { HubMappings } from '../../../../src/mapping/mappingNames';
import { signCallback } from '../../../../src/platforms/erp/callbackSignature';
import type { CallbackReplayGuardPort } from '../../../../src/ports/CallbackReplayGuardPort';
import { InMemoryJourney, RecordingSender } from '../../../support/fakes';
import { projectMappings } from '../../../support/mappings';
import { erpCallbackFactory } from '../../../support/erpCallbackFactory';

const now = new Date('2026-11-25T14:10:00Z');
const SECRET = 'the-erp-callback-secret';

/** Remembers signatures as the callbacksignatures table does. */
class RememberingGuard implements CallbackReplayGuardPort {
  readonly seen = new Set<string>();
  firstSighting(signature: string): Promise<boolean> {
    const first = !this.seen.has(signature);
    this.seen.add(signature);
    return Promise.resolve(first);
  }
}

const shipped = erpCallbackFactory();

function setup() {
  const journey = new InMemoryJourney();
  const deps: AcceptErpCallbackDeps & { sender: RecordingSender; replayGuard: RememberingGuard } = {
    secrets: [SECRET],
    replayGuard: new RememberingGuard(),
    mapping: projectMappings.get(HubMappings.ERP_CALLBACK_TO_CANONICAL_UPDATE.name),
    sender: new RecordingSender(),
    now: () => now,
  };
  const accept = (body: string, headers: Record<string, string> = signCallback(Buffer.from(body), SECRET, now)) =>
    acceptErpCallback(
      Buffer.from(body),
      { signature: headers['x-erp-signature'] ?? null, timestamp: headers['x-erp-timestamp'] ?? null },
      deps,
      new JourneyRecorder(journey, 'erpCallback', () => now),
    );
  return { deps, journey, accept };
}

describe('acceptErpCallback (erpCallback)', () => {
  it('queues a signed callback as a canonical update for its order, keyed by the callback id, and answers 202', async () => {
    const { deps, journey, accept } = setup();

    expect(await accept(JSON.stringify(shipped))).toEqual({ status: 202, updateId: 'cb-100', orderId: '10042' });

    expect(deps.sender.sent).toEqual([
      {
        queue: 'erp-updates',
        message: expect.objectContaining({
          messageId: 'cb-100',
          sessionId: '10042',
          correlationId: 'cb-100',
          body: expect.objectContaining({
            kind: 'shipped',
            orderId: '10042',
            shipment: { carrier: 'Colissimo', trackingNumber: '6A12345678901' },
          }),
          applicationProperties: { attempt: 1, kind: 'shipped' },
        }),
      },
    ]);
    expect(journey.steps).toMatchObject([
      { orderId: '10042', function: 'erpCallback', step: 'callback', outcome: 'ok', erpOrderId: 'SO-000042' },
    ]);
  });

  it('refuses with 401 a callback unsigned, signed with another secret, too old, or seen before; nothing queued', async () => {
    const { deps, accept } = setup();
    const body = JSON.stringify(shipped);
    expect(await accept(body, {})).toMatchObject({ status: 401, reason: 'missing x-erp-signature' });
    expect(await accept(body, signCallback(Buffer.from(body), 'another-secret-entirely', now))).toMatchObject({
      status: 401,
      reason: 'signature does not match',
    });
    expect(await accept(body, signCallback(Buffer.from(body), SECRET, new Date(now.getTime() - 360_000)))).toMatchObject({ status: 401 });
    const headers = signCallback(Buffer.from(body), SECRET, now);
    expect((await accept(body, headers)).status).toBe(202);
    expect(await accept(body, headers)).toEqual({ status: 401, reason: 'this signed callback was received before (a replay)' });
    expect(deps.sender.sent).toHaveLength(1);
  });

  it('answers 400 to a body that is not JSON and to one that fails the callback schema, naming the fields', async () => {
    const { deps, accept } = setup();
    expect(await accept('{not json')).toEqual({ status: 400, reason: 'the body is not JSON', details: [] });
    const answer = await accept(JSON.stringify({ ...shipped, event: 'Shipment.Teleported' }));
    expect(answer).toMatchObject({ status: 400, details: [expect.stringMatching(/^event: /)] });
    expect(deps.sender.sent).toHaveLength(0);
  });

  it('answers 422 with the reason when the mapping cannot map a valid callback, and neither queues it nor remembers its signature', async () => {
    const { deps, journey, accept } = setup();
    // A document number the hub did not issue: the mapping leaves the order id empty, which a canonical update refuses.
    const body = JSON.stringify({ ...shipped, salesOrder: { ...shipped.salesOrder, externalDocumentNumber: 'ECP-' } });

    const answer = await accept(body);

    expect(answer).toMatchObject({
      status: 422,
      reason: expect.stringContaining('erp-callback-to-canonical-update@'),
      details: [expect.stringMatching(/^orderId: /)],
    });
    expect(deps.sender.sent).toHaveLength(0);
    expect(journey.steps).toHaveLength(0);
    // The ERP keeps the callback and sends it again once the mapping is fixed: the same signature is not a replay.
    expect(deps.replayGuard.seen.size).toBe(0);
  });
});
