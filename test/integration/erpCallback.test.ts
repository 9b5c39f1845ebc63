import type { LocalStack } from '../../local/stack/LocalStack';
import { createHubServices } from '../../src/composition/hubServices';
import { loadSettings } from '../../src/config/settings';
import { ErrorCodes } from '../../src/domain/errorCodes';
import { signCallback } from '../../src/platforms/erp/callbackSignature';
import { startTestStack, waitFor } from '../support/stack';
import { erpCallbackFactory } from '../support/erpCallbackFactory';

jest.setTimeout(60_000);

const shipped = erpCallbackFactory();

describe('erpCallback: signed ERP status callbacks into erp-updates', () => {
  let stack: LocalStack;
  let stop: () => Promise<void>;
  let secret: string;
  beforeAll(async () => {
    ({ stack, stop } = await startTestStack());
    secret = stack.settings.ERP_CALLBACK_SECRETS?.split(',')[0] ?? '';
  });
  afterAll(async () => {
    await stop();
  });

  const post = async (body: string, headers: Record<string, string>): Promise<{ status: number; json: Record<string, unknown> }> => {
    const response = await fetch(`${stack.functionsUrl}/api/erp/callbacks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-functions-key': stack.functionKey, ...headers },
      body,
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };
  const signed = (body: string, at = new Date(), key = secret): Record<string, string> => signCallback(Buffer.from(body), key, at);
  const hub = () => createHubServices(loadSettings(stack.settings));
  /** What became of callbacks for order 10042 (which the hub never sent to the ERP): parked by ecpUpdater. */
  const parkedUpdates = async (): Promise<string[]> =>
    (await hub().replay.parked.list()).filter((p) => p.orderId === '10042').map((p) => `${p.messageId ?? ''} ${p.code}`);
  const journeyOf10042 = async () => await hub().journeys.read('10042');

  it('queues a signed callback as a canonical update for its order, and answers 202', async () => {
    const body = JSON.stringify(shipped);
    const headers = signed(body);
    expect(await post(body, headers)).toEqual({ status: 202, json: { accepted: 'cb-100' } });
    // Queued for order 10042 as a canonical update; the hub never sent that order, so ecpUpdater parks it.
    await waitFor(async () => (await parkedUpdates()).length === 1, 20_000, 'the update to reach ecpUpdater');
    expect(await parkedUpdates()).toEqual([`cb-100 ${ErrorCodes.ORDER_UNKNOWN}`]);
    const parked = (await hub().replay.parked.list()).find((p) => p.messageId === 'cb-100');
    expect(JSON.parse(parked?.payload ?? '{}')).toMatchObject({
      kind: 'shipped',
      orderId: '10042',
      shipment: { carrier: 'Colissimo', trackingNumber: '6A12345678901' },
    });

    // The very same request again is a replay: refused, nothing queued.
    expect(await post(body, headers)).toEqual({ status: 401, json: { error: 'this signed callback was received before (a replay)' } });
    // The ERP sending the callback again (signed anew, a second later) is accepted, and duplicate detection keeps one message.
    await new Promise((r) => setTimeout(r, 1100));
    expect((await post(body, signed(body))).status).toBe(202);
    // A later callback of the same order comes after any copy on its session: once it is through, a copy would have been too.
    const delivered = JSON.stringify({ ...shipped, callbackId: 'cb-101', event: 'Shipment.Delivered' });
    expect((await post(delivered, signed(delivered))).status).toBe(202);
    await waitFor(
      async () => (await parkedUpdates()).includes(`cb-101 ${ErrorCodes.ORDER_UNKNOWN}`),
      20_000,
      'the later callback to reach ecpUpdater',
    );
    const steps = await journeyOf10042();
    expect(steps.filter((s) => s.function === 'erpCallback').map((s) => s.correlationId)).toEqual(['cb-100', 'cb-100', 'cb-101']);
    expect(steps.filter((s) => s.function === 'ecpUpdater').map((s) => s.correlationId)).toEqual(['cb-100', 'cb-101']);
  });

  it('answers 401 from the host itself to a caller without the function key, before the function runs', async () => {
    const body = JSON.stringify({ ...shipped, callbackId: 'cb-nokey' });
    for (const url of [`${stack.functionsUrl}/api/erp/callbacks`, `${stack.functionsUrl}/api/erp/callbacks?code=wrong-key`]) {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...signed(body) }, body });
      expect({ status: response.status, body: await response.text() }).toEqual({ status: 401, body: '' });
    }
    // The query string works as well as the header.
    const withCode = await fetch(`${stack.functionsUrl}/api/erp/callbacks?code=${stack.functionKey}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signed(body) },
      body,
    });
    expect(withCode.status).toBe(202);
    // A method the function does not take is a route the host does not know.
    expect((await fetch(`${stack.functionsUrl}/api/erp/callbacks?code=${stack.functionKey}`)).status).toBe(404);
  });

  it.each([
    ['unsigned', {}, 'missing x-erp-signature'],
    ['signed with another secret', 'wrong', 'signature does not match'],
    ['signed six minutes ago', 'expired', 'outside the 300 s tolerance'],
  ])('refuses a callback %s with 401 and queues nothing', async (_what, how, reason) => {
    const body = JSON.stringify({ ...shipped, callbackId: 'cb-401' });
    const headers =
      how === 'wrong'
        ? signed(body, new Date(), 'another-secret-of-16+')
        : how === 'expired'
          ? signed(body, new Date(Date.now() - 360_000))
          : (how as Record<string, string>);
    const answer = await post(body, headers);
    expect(answer.status).toBe(401);
    expect(String(answer.json.error)).toContain(reason);
    expect((await journeyOf10042()).map((s) => s.correlationId)).not.toContain('cb-401');
  });

  it('answers 400 naming the fields of a callback that fails its schema, and 400 for one that is not JSON', async () => {
    const invalid = JSON.stringify({
      ...shipped,
      callbackId: 'cb-400',
      event: 'Shipment.Teleported',
      salesOrder: { id: 'SO-1', number: 'SO1' },
    });
    const answer = await post(invalid, signed(invalid));
    expect(answer.status).toBe(400);
    expect(answer.json.details).toEqual(
      expect.arrayContaining([expect.stringMatching(/^event: /), expect.stringMatching(/^salesOrder\.externalDocumentNumber: /)]),
    );
    expect(await post('{not json', signed('{not json'))).toEqual({ status: 400, json: { error: 'the body is not JSON', details: [] } });
    expect((await journeyOf10042()).map((s) => s.correlationId)).not.toContain('cb-400');
  });

  it('answers 400 to a deeply nested body (5,000 nested arrays, or in a field) and stays up', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    for (const body of [deep, `{"callbackId":${deep}}`]) {
      const answer = await post(body, signed(body));
      expect(answer.status).toBe(400);
    }
    const next = JSON.stringify({ ...shipped, callbackId: 'cb-after-deep' });
    expect((await post(next, signed(next))).status).toBe(202);
  });
});
