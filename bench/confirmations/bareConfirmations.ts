import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EventGridLifecyclePublisher } from '../../src/adapters/eventGrid/EventGridLifecyclePublisher';
import { MailchimpMailingList } from '../../src/adapters/mailchimp/MailchimpMailingList';
import { SendGridMailer } from '../../src/adapters/mail/SendGridMailer';
import { ConfirmationTable } from '../../src/adapters/tables/ConfirmationTable';
import { JourneyTable } from '../../src/adapters/tables/JourneyTable';
import { Azurite } from '../../local/azurite/Azurite';
import { MAILING_LIST_HISTORY } from '../../local/sandboxes/catalog';
import { SandboxMailSink } from '../../local/sandboxes/mail/SandboxMailSink';
import { SandboxMailchimp } from '../../local/sandboxes/mailchimp/SandboxMailchimp';
import { LocalEventGridTopic } from '../../local/runtime/eventGrid/LocalEventGridTopic';
import { freePort } from '../../local/support/freePort';
import { confirmationIdOf } from '../../src/domain/confirmation';
import { confirmationModel } from '../../src/templates/confirmationModel';
import { loadTemplates } from '../../src/templates/loadTemplates';
import { lifecycleEvent, LifecycleEventTypes } from '../../src/domain/lifecycleEvents';
import { closedLoop } from '../closedLoop';
import { bothPhases, CpuMeter } from '../cpuTime';
import { logWritten, storageCallsPerOrder, storageMarks } from '../pipeline/storageCalls';
import { benchRequest } from './benchRequests';
import { ConfirmedSubscriber } from './confirmedSubscriber';
import { CONFIRMATION_TIMEOUT_MS, type ConfirmationLoopOptions, type ConfirmationLoopResult } from './throughDurable';

/** The floor's calls per confirmation: SendGrid, Mailchimp (for those who consented), the lifecycle event. */
export const BARE_CALLS = 'SendGrid, Mailchimp, Event Grid';

/**
 * The floor: the same three branches with the same reads and writes, in one process, straight
 * through the hub's own adapters with no host, queues, Durable history or retries: save the row,
 * read, claim and record the mail around SendGrid (rendered from the same template), upsert the Mailchimp member and record it, read
 * and record the conclusion, publish OrderConfirmed, and the journey step each of those records;
 * done, as on the Durable side, when OrderConfirmed reaches the subscriber. Same Azurite, same sandboxes.
 */
export async function bareConfirmations(options: ConfirmationLoopOptions, run: string): Promise<ConfirmationLoopResult> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'order-hub-floor-'));
  const debugLog = options.countStorageCalls === true ? path.join(dataDir, 'azurite-debug.log') : undefined;
  const azurite = await Azurite.start({
    location: path.join(dataDir, 'azurite'),
    blobPort: await freePort(),
    queuePort: await freePort(),
    tablePort: await freePort(),
    ...(debugLog === undefined ? {} : { debugLog }),
    log: () => undefined,
  });
  const mail = new SandboxMailSink({ host: '127.0.0.1', port: await freePort(), apiKey: 'SG.bench', log: () => undefined });
  const mailchimp = new SandboxMailchimp({
    host: '127.0.0.1',
    port: await freePort(),
    apiKey: 'bench-us21',
    listId: 'bench',
    seeded: MAILING_LIST_HISTORY,
    log: () => undefined,
  });
  const subscriber = new ConfirmedSubscriber();
  await subscriber.listen();
  const topicPort = await freePort();
  const topic = new LocalEventGridTopic({
    host: '127.0.0.1',
    port: topicPort,
    topics: [{ name: 'order-lifecycle', key: 'k', subscriptions: [{ name: 'bench', endpoint: subscriber.endpoint }] }],
    storageConnectionString: azurite.connectionString,
    retryScale: 0.1,
    log: () => undefined,
  });
  await Promise.all([mail.start(), mailchimp.start(), topic.start()]);
  const table = new ConfirmationTable(azurite.connectionString);
  const journeys = new JourneyTable(azurite.connectionString);
  const mailer = new SendGridMailer({
    apiKey: 'SG.bench',
    from: { email: 'orders@shop.example', name: 'Shop' },
    baseUrl: mail.url,
    timeoutMs: 10_000,
  });
  const list = new MailchimpMailingList({
    apiKey: 'bench-us21',
    listId: 'bench',
    baseUrl: `${mailchimp.url}/3.0`,
    statusIfNew: 'subscribed',
    timeoutMs: 10_000,
  });
  const templates = loadTemplates(path.resolve('templates'));
  const shop = { name: 'Shop', email: 'orders@shop.example' };
  const lifecycle = new EventGridLifecyclePublisher(`http://127.0.0.1:${topicPort}/topics/order-lifecycle/api/events`, 'k');
  const cpu = new CpuMeter({ Azurite: azurite.pid, 'bench process (the loop, sandboxes, Event Grid)': process.pid });
  let n = 0;
  try {
    const result = await closedLoop({
      orders: options.confirmations,
      concurrency: options.concurrency,
      warmup: options.warmup,
      timedPhase: bothPhases(debugLog === undefined ? undefined : storageMarks(azurite.connectionString), cpu),
      one: async () => {
        const request = benchRequest(run, n++);
        const id = confirmationIdOf('order', request.subjectId);
        const now = () => new Date().toISOString();
        const journey = (step: string) =>
          journeys.record({ orderId: request.subjectId, at: now(), function: 'bench', step, attempt: 1, outcome: 'ok' });
        await journey('start-confirmation');
        await Promise.all([
          (async () => {
            await table.save(id, request, now());
            await journey('confirm-save');
          })(),
          (async () => {
            const stored = await table.read(id);
            const claim = { state: 'sending' as const, claimedAt: now(), attempts: 1 };
            await table.claimEmail(id, claim, stored?.etag);
            const { messageId } = await mailer.sendConfirmation({
              to: request.customer.email,
              toName: `${request.customer.givenName} ${request.customer.familyName}`,
              ...templates.render('order-confirmation', confirmationModel(id, request, shop)),
              category: 'order-confirmation',
              confirmationId: id,
            });
            await table.recordEmail(id, { ...claim, state: 'sent', messageId, sentAt: now() });
            await journey('confirm-email');
          })(),
          (async () => {
            const answer = request.customer.marketingConsent
              ? await list.subscribe({
                  email: request.customer.email,
                  givenName: request.customer.givenName,
                  familyName: request.customer.familyName,
                })
              : undefined;
            await table.recordMailingList(id, { outcome: answer?.outcome ?? 'skipped', detail: '', at: now() });
            await journey('confirm-mailingList');
          })(),
        ]);
        await table.read(id);
        await table.recordConclusion(id, { status: 'confirmed', at: now(), parked: [] });
        await lifecycle.publish([lifecycleEvent(LifecycleEventTypes.ORDER_CONFIRMED, request.subjectId, now(), { confirmationId: id })]);
        await journey('confirmation');
        await subscriber.confirmed(request.subjectId, CONFIRMATION_TIMEOUT_MS);
      },
    });
    // Nothing but Azurite may go on calling storage while its log is being finished.
    await topic.stop();
    await logWritten(debugLog);
    await azurite.stop();
    const calls = storageCallsPerOrder(debugLog, result);
    return {
      ...result,
      cpu: cpu.perConfirmation(result.orders),
      mailsPerConfirmation: mail.mails.length / (options.confirmations + options.warmup),
      ...(calls === undefined ? {} : { storageCallsPerConfirmation: calls }),
    };
  } finally {
    await Promise.all([mail.stop(), mailchimp.stop(), subscriber.close(), topic.stop().catch(() => undefined)]);
    await azurite.stop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
