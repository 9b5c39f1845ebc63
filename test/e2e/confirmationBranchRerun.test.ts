import { ConfirmationTable } from '../../src/adapters/tables/ConfirmationTable';
import { createHubServices } from '../../src/composition/hubServices';
import { loadSettings } from '../../src/config/settings';
import { confirmationIdOf } from '../../src/domain/confirmation';
import { ErrorCodes } from '../../src/domain/errorCodes';
import { replayParked } from '../../src/flows/operations/replayParked';
import { JourneyRecorder } from '../../src/flows/shared/JourneyRecorder';
import { startTestStack, waitFor } from '../support/stack';

jest.setTimeout(180_000);

describe('a confirmation branch that failed for good, re-run alone by an operator', () => {
  it('parks the mailing-list branch Mailchimp refuses (its audience gone), keeps the mail sent once, and re-runs the branch alone once the audience is back', async () => {
    const { stack, stop } = await startTestStack({ settings: { CONFIRMATION_RETRY_FIRST_MS: '200' } });
    try {
      const audience = stack.settings.MAILCHIMP_LIST_ID ?? '';
      stack.mailchimp.lists.delete(audience);
      const order = await stack.ecp.placeOrder({ customerId: 'C-1001' }); // Ada, who consented
      const id = confirmationIdOf('order', order.id);
      const confirmations = new ConfirmationTable(stack.azurite.connectionString);
      const conclusion = async () => (await confirmations.read(id))?.record.conclusion;
      await waitFor(async () => (await conclusion())?.status === 'needsAttention', 60_000, 'the confirmation to need attention');

      const hub = () => createHubServices(loadSettings(stack.settings));
      const [parked] = (await hub().replay.parked.list()).filter((p) => p.source === 'confirmations');
      expect(parked).toMatchObject({
        orderId: order.id,
        messageId: `${id}:mailingList`,
        code: ErrorCodes.MAILING_LIST_REJECTED,
        replayable: true,
      });
      expect(parked?.reason).toContain('Mailchimp answered 404');
      expect(stack.mail.mails.filter((m) => m.customArgs.confirmationId === id)).toHaveLength(1);
      expect(stack.mailchimp.members.size).toBe(0);
      const steps = (await hub().journeys.read(order.id)).map((s) => `${s.step} ${s.outcome}`);
      expect(steps).toEqual(
        expect.arrayContaining(['confirm-save ok', 'confirm-email ok', 'confirm-mailingList parked', 'confirmation parked']),
      );

      // The audience is restored in Mailchimp; the operator replays the parked branch.
      stack.mailchimp.lists.add(audience);
      const replayed = await replayParked({ orderIds: [order.id] }, hub().replay, new JourneyRecorder(hub().journeys, 'test'), {
        by: 'test',
      });
      expect(replayed.map((r) => r.outcome)).toEqual(['replayed']);

      await waitFor(async () => (await conclusion())?.status === 'confirmed', 60_000, 'the confirmation to be confirmed');
      expect([...stack.mailchimp.members.values()].map((m) => m.email_address)).toEqual([order.customer.email]);
      expect(stack.mail.mails.filter((m) => m.customArgs.confirmationId === id)).toHaveLength(1);
      expect((await hub().replay.parked.list()).filter((p) => p.source === 'confirmations')).toEqual([]);
    } finally {
      await stop();
    }
  });
});
