/**
 * `npm run bench:pipeline`: orders per second and latency through the local runtime at a fixed
 * concurrency, beside the bare loop of the same Azurite and HTTP calls (the floor), in one run.
 */
import { Command } from 'commander';
import { count, milliseconds } from '../local/support/optionParsers';
import type { ClosedLoopResult } from './closedLoop';
import { bareLoop, BARE_LOOP_CALLS } from './pipeline/bareLoop';
import type { StorageCalls } from './pipeline/storageCalls';
import { throughLocalRuntime } from './pipeline/throughLocalRuntime';

const program = new Command('bench:pipeline')
  .description('End-to-end orders/s and p50/p95/p99 through the local runtime beside the bare loop of the same calls')
  .option('--orders <n>', 'orders timed on each side in each round', count, 300)
  .option('--rounds <n>', 'rounds of hub then floor; the median round of each is reported', count, 3)
  .option('--concurrency <n>', 'orders in flight at any time', count, 8)
  .option('--warmup <n>', 'orders run first and not timed', count, 40)
  .option('--calibration-orders <n>', 'orders of the untimed run that counts storage calls per order', count, 100)
  .option('--erp-latency <ms>', 'how long the sandbox ERP takes to answer each call', milliseconds, 0);

/** The round with the median rate. */
function median<T extends ClosedLoopResult>(rounds: T[]): T {
  return [...rounds].sort((a, b) => a.ordersPerSecond - b.ordersPerSecond)[Math.floor(rounds.length / 2)]!;
}

const row = (name: string, r: ClosedLoopResult): string =>
  `| ${name} | ${r.ordersPerSecond.toFixed(1)} | ${r.latencyMs.p50.toFixed(0)} | ${r.latencyMs.p95.toFixed(0)} | ${r.latencyMs.p99.toFixed(0)} |`;

async function main(): Promise<void> {
  const options = program
    .parse()
    .opts<{ orders: number; rounds: number; concurrency: number; warmup: number; calibrationOrders: number; erpLatency: number }>();
  console.log(
    `${options.rounds} rounds of ${options.orders} orders (after ${options.warmup} warm-up) at concurrency ${options.concurrency}, ERP latency ${options.erpLatency} ms, Node ${process.version}\n`,
  );
  const sides = { ...options, erpLatencyMs: options.erpLatency };
  const hubRounds: (ClosedLoopResult & { duplicates: number })[] = [];
  const lookUpRounds: (ClosedLoopResult & { duplicates: number })[] = [];
  const floorRounds: ClosedLoopResult[] = [];
  for (let round = 0; round < options.rounds; round++) {
    hubRounds.push(await throughLocalRuntime(sides));
    lookUpRounds.push(await throughLocalRuntime({ ...sides, lookUpBeforeCreate: true }));
    floorRounds.push(await bareLoop(sides));
    const rate = (rounds: ClosedLoopResult[]): string => rounds.at(-1)!.ordersPerSecond.toFixed(1);
    console.log(
      `round ${round + 1}: hub ${rate(hubRounds)}, hub with look-up before create ${rate(lookUpRounds)}, floor ${rate(floorRounds)} orders/s`,
    );
  }
  const hub = median(hubRounds);
  const lookUp = median(lookUpRounds);
  const floor = median(floorRounds);
  const duplicates = [...hubRounds, ...lookUpRounds].reduce((sum, r) => sum + r.duplicates, 0);
  // Separate, untimed runs with Azurite's request log on: what each path asks of storage per order.
  const calibration = {
    orders: options.calibrationOrders,
    concurrency: options.concurrency,
    warmup: 10,
    countStorageCalls: true,
    erpLatencyMs: options.erpLatency,
  };
  const hubCalls = (await throughLocalRuntime(calibration)).storageCallsPerOrder;
  const lookUpCalls = (await throughLocalRuntime({ ...calibration, lookUpBeforeCreate: true })).storageCallsPerOrder;
  const floorCalls = (await bareLoop(calibration)).storageCallsPerOrder;
  const calls = (c: StorageCalls | undefined): string =>
    c === undefined ? '?' : `${c.total.toFixed(1)} (${c.receives.toFixed(1)} receives)`;
  console.log('');
  console.log('| path | orders/s | p50 ms | p95 ms | p99 ms | storage calls per order |');
  console.log('|---|---:|---:|---:|---:|---:|');
  console.log(`${row('hub through the local runtime', hub)} ${calls(hubCalls)} |`);
  console.log(`${row('the same, ERP_LOOKUP_BEFORE_CREATE=true', lookUp)} ${calls(lookUpCalls)} |`);
  console.log(`${row(`bare loop (${BARE_LOOP_CALLS.http} HTTP calls per order)`, floor)} ${calls(floorCalls)} |`);
  console.log(
    `\nhub / floor: ${(hub.ordersPerSecond / floor.ordersPerSecond).toFixed(2)}× the floor's rate (median rounds); ` +
      `look-up before create: ${(lookUp.ordersPerSecond / hub.ordersPerSecond).toFixed(2)}× the hub's rate, p50 +${(lookUp.latencyMs.p50 - hub.latencyMs.p50).toFixed(0)} ms; ` +
      `ERP duplicates in the hub runs: ${duplicates}`,
  );
  if (duplicates > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
