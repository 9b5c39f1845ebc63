/**
 * `npm run demo -- --orders N`: the stack, N orders through it and back (the ERP's reports shown in
 * the ECP), registrations through the payment intake, every customer's confirmation (mails,
 * subscriptions, skips), a summary; non-zero exit if any order is missing, duplicated or
 * unfinished, or any customer unconfirmed or mailed twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { count, rate } from '../support/optionParsers';
import { LocalStack } from './LocalStack';
import { runOrders, waitForRoundTrip } from './orderRun';
import { takeRegistrations } from './registrationRun';
import { waitForConfirmations } from './confirmationRun';
import { confirmationIdOf } from '../../src/domain/confirmation';

const program = new Command('demo')
  .description('Bring the local stack up on free ports, place orders in the sandbox ECP and follow them into the sandbox ERP')
  .option('--orders <n>', 'orders to place', count, 20)
  .option('--erp-error-rate <rate>', 'share of ERP creates answered 503', rate, 0)
  .option('--erp-timeout-rate <rate>', 'share of ERP creates stored but never answered', rate, 0)
  .option('--duplicate-events <rate>', 'share of order events the ECP publishes twice', rate, 0)
  .option('--duplicate-callbacks <rate>', 'share of ERP status callbacks sent twice', rate, 0)
  .option('--shuffle-callbacks', "send each order's ERP callbacks in a random order", false)
  .option('--ecp-update-error-rate <rate>', 'share of ECP order updates answered 503', rate, 0)
  .option('--reject-rate <rate>', 'share of orders the ERP rejects (out of stock)', rate, 0)
  .option('--registrations <n>', 'registrations to take through the payment intake', count, 3)
  .option('--mail-error-rate <rate>', 'share of SendGrid sends answered 503 or 429', rate, 0)
  .option('--mailchimp-error-rate <rate>', 'share of Mailchimp calls answered 503', rate, 0)
  .option('--verbose', "show the stack's own log lines", false);

async function main(): Promise<void> {
  const options = program.parse().opts<{
    orders: number;
    erpErrorRate: number;
    erpTimeoutRate: number;
    duplicateEvents: number;
    duplicateCallbacks: number;
    shuffleCallbacks: boolean;
    ecpUpdateErrorRate: number;
    rejectRate: number;
    registrations: number;
    mailErrorRate: number;
    mailchimpErrorRate: number;
    verbose: boolean;
  }>();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'order-hub-demo-'));
  const stack = await LocalStack.start({
    ports: 'free',
    dataDir,
    settings: {
      ORDER_RETRY_BASE_DELAY_MS: '1000',
      ORDER_RETRY_MAX_DELAY_MS: '8000',
      ERP_TIMEOUT_MS: '2000',
      ORDER_SUBMISSION_LEASE_MS: '6000',
      CONFIRMATION_RETRY_FIRST_MS: '1000',
      CONFIRMATION_RETRY_MAX_MS: '8000',
      CONFIRMATION_MAIL_LEASE_MS: '10000',
    },
    hostEnv: { HUB_HOST_QUIET: options.verbose ? '0' : '1' },
    log: options.verbose ? (line) => console.log(line) : (line) => (/error|warn|fail/i.test(line) ? console.log(line) : undefined),
  });
  let exitCode = 1;
  try {
    stack.erp.faults = { ...stack.erp.faults, errorRate: options.erpErrorRate, timeoutAfterCommitRate: options.erpTimeoutRate };
    stack.ecp.faults = { ...stack.ecp.faults, duplicateEventRate: options.duplicateEvents, updateErrorRate: options.ecpUpdateErrorRate };
    if (stack.erp.lives !== undefined) {
      stack.erp.lives.settings = {
        ...stack.erp.lives.settings,
        stepMs: 300,
        duplicateRate: options.duplicateCallbacks,
        shuffle: options.shuffleCallbacks,
        maxDelayMs: 200,
        rejectRate: options.rejectRate,
      };
    }
    stack.mail.injector.faults = {
      ...stack.mail.injector.faults,
      errorRate: options.mailErrorRate / 2,
      rateLimitRate: options.mailErrorRate / 2,
    };
    stack.mailchimp.injector.faults = { ...stack.mailchimp.injector.faults, errorRate: options.mailchimpErrorRate };
    console.log(
      `Placing ${options.orders} orders (ERP errors ${options.erpErrorRate}, ERP timeouts after commit ${options.erpTimeoutRate}, duplicate events ${options.duplicateEvents})...`,
    );
    const summary = await runOrders(stack, { orders: options.orders, onProgress: (line) => console.log(`  ${line}`) });
    console.log('Waiting for the ERP to report on every order and the ECP to show it...');
    const roundTrip = await waitForRoundTrip(stack, summary.orderIds, 300_000, (line) => console.log(`  ${line}`));
    console.log(
      [
        '',
        `placed       ${summary.placed}`,
        `in ERP       ${summary.inErp}`,
        `duplicates   ${summary.duplicates.length}${summary.duplicates.length > 0 ? ` (${summary.duplicates.join(', ')})` : ''}`,
        `parked       ${summary.parked}`,
        `missing      ${summary.missing.length}${summary.missing.length > 0 ? ` (${summary.missing.slice(0, 10).join(', ')})` : ''}`,
        `latency      p50 ${summary.latencyMs.p50} ms, p95 ${summary.latencyMs.p95} ms (ECP order placed → ERP sales order created)`,
        `throughput   ${summary.ordersPerSecond.toFixed(1)} orders/s over ${(summary.elapsedMs / 1000).toFixed(1)} s`,
        '',
        'In the ECP, once the ERP reported:',
        `ERP reference ${roundTrip.withErpReference}/${summary.placed}`,
        `paid         ${roundTrip.paid}`,
        `delivered    ${roundTrip.delivered} (with tracking)`,
        `cancelled    ${roundTrip.cancelled} (rejected by the ERP; customers mailed: ${stack.mail.mails.filter((m) => m.categories.includes('order-rejected')).length})`,
        `unfinished   ${roundTrip.unfinished.length}${roundTrip.unfinished.length > 0 ? ` (${roundTrip.unfinished.slice(0, 10).join(', ')})` : ''}`,
        `latency      p50 ${roundTrip.latencyMs.p50} ms, p95 ${roundTrip.latencyMs.p95} ms (ERP sales order created → final state shown in the ECP)`,
      ].join('\n'),
    );
    console.log(`\nTaking ${options.registrations} registrations through POST /api/registrations...`);
    const registrations = await takeRegistrations(stack, options.registrations);
    console.log('Waiting for every confirmation (the Durable orchestration: save │ email │ mailing list)...');
    const confirmations = await waitForConfirmations(
      stack,
      [...summary.orderIds.map((id) => confirmationIdOf('order', id)), ...registrations.map((id) => confirmationIdOf('registration', id))],
      { timeoutMs: 300_000, onProgress: (line) => console.log(`  ${line}`) },
    );
    const list = (outcome: string): string => {
      const emails = confirmations.mailingList[outcome] ?? [];
      return `${emails.length}${emails.length > 0 ? ` (${[...new Set(emails)].join(', ')})` : ''}`;
    };
    const sample = stack.mail.mails.find((m) => m.categories.includes('order-confirmation'));
    console.log(
      [
        '',
        `confirmed    ${confirmations.outcomes.confirmed ?? 0}/${confirmations.expected} (${summary.orderIds.length} orders, ${registrations.length} registrations paid: ${stack.payments.charges.length} charges)`,
        `saved        ${confirmations.saved}`,
        `mailed       ${confirmations.mails} (at most ${confirmations.mostMailsForOne} for one confirmation)`,
        `subscribed   ${list('subscribed')}`,
        `skipped      ${list('skipped')} (no marketing consent)`,
        `refused      ${list('refused')} (Mailchimp: in compliance state, or forgotten)`,
        `parked       ${confirmations.parked.length}${confirmations.parked.map((p) => `\n  ${p.code}: ${p.reason}`).join('')}`,
        `latency      p50 ${confirmations.latencyMs.p50} ms, p95 ${confirmations.latencyMs.p95} ms (confirmation started → all three branches done)`,
        ...(sample === undefined
          ? []
          : [
              '',
              `A confirmation as the customer got it (to ${sample.to}):`,
              `  Subject: ${sample.subject}`,
              ...sample.text
                .split('\n')
                .slice(0, 8)
                .map((l) => `  ${l}`),
            ]),
      ].join('\n'),
    );
    exitCode =
      summary.missing.length === 0 &&
      summary.duplicates.length === 0 &&
      roundTrip.unfinished.length === 0 &&
      confirmations.finished === confirmations.expected &&
      confirmations.mostMailsForOne <= 1
        ? 0
        : 1;
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  process.exit(exitCode);
}

main().catch((error: unknown) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
