import { ClaimCheckSender } from '../../../src/adapters/claimCheck/ClaimCheckSender';
import { InMemoryClaimChecks, RecordingSender } from '../../support/fakes';

describe('ClaimCheckSender', () => {
  const setup = () => {
    const inner = new RecordingSender();
    const store = new InMemoryClaimChecks();
    return { inner, store, sender: new ClaimCheckSender(inner, store, 1000) };
  };

  it('sends a body up to the limit as it is', async () => {
    const { inner, store, sender } = setup();
    const body = { lines: 'x'.repeat(900) };
    await sender.send('online-orders', { messageId: 'm1', sessionId: 's', body, applicationProperties: { attempt: 1 } });
    expect(inner.sent[0]!.message).toEqual({ messageId: 'm1', sessionId: 's', body, applicationProperties: { attempt: 1 } });
    expect(store.blobs.size).toBe(0);
  });

  it('puts a larger body in a blob and sends its name in the body and in the application properties', async () => {
    const { inner, store, sender } = setup();
    const body = { lines: 'x'.repeat(2000) };
    await sender.send('online-orders', {
      messageId: 'm2',
      sessionId: 's',
      correlationId: 'c',
      body,
      applicationProperties: { attempt: 1 },
    });
    const sent = inner.sent[0]!.message;
    const blob = sent.applicationProperties?.claimCheck;
    expect(typeof blob).toBe('string');
    expect(sent).toMatchObject({
      messageId: 'm2',
      sessionId: 's',
      correlationId: 'c',
      body: { claimCheck: blob },
      applicationProperties: { attempt: 1 },
    });
    expect(await store.open(sent.body, sent.applicationProperties!)).toEqual(body);
  });
});
