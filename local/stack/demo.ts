/**
 * `npm run demo -- --orders N`: the stack, N orders through it and back (the ERP's reports shown in
 * the ECP), a summary; non-zero exit if any order is missing, duplicated or unfinished.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { count, rate } from '../support/optionParsers';
import { LocalStack } from './LocalStack';
import { runOrders, waitForRoundTrip } from './orderRun';

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
        `cancelled    ${roundTrip.cancelled} (rejected by the ERP; customers mailed: ${stack.mail.mails.length})`,
        `unfinished   ${roundTrip.unfinished.length}${roundTrip.unfinished.length > 0 ? ` (${roundTrip.unfinished.slice(0, 10).join(', ')})` : ''}`,
        `latency      p50 ${roundTrip.latencyMs.p50} ms, p95 ${roundTrip.latencyMs.p95} ms (ERP sales order created → final state shown in the ECP)`,
      ].join('\n'),
    );
    exitCode = summary.missing.length === 0 && summary.duplicates.length === 0 && roundTrip.unfinished.length === 0 ? 0 : 1;
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
