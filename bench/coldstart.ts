/**
 * `npm run bench:coldstart`: how fast the deployed entry loads, beside the same app bundled the
 * way it was before (one file, every SDK loaded at start).
 *
 * - import: a fresh `node` process requires the entry (bench/coldstart/freshImport.js), rounds
 *   alternating between the two, medians and p90 reported; also with Application Insights
 *   configured, as in Azure, where the telemetry SDK loads at start;
 * - first invocation: each function's first run in a fresh host (the host's own "Executed ...
 *   Duration=" line), driven by one order through both pipelines, its confirmation, and a
 *   registration, on the local stack;
 * - size: the entry, and everything deployed with it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleApp, type Bundle } from '../build/bundle';
import { importEntry } from './coldstart/importEntry';
import { waitForConfirmations } from '../local/stack/confirmationRun';
import { runOrders } from '../local/stack/orderRun';
import { takeRegistrations } from '../local/stack/registrationRun';
import { confirmationIdOf } from '../src/domain/confirmation';
import { startTestStack, waitFor } from '../test/support/stack';

const ROUNDS = Number(process.env.COLDSTART_ROUNDS ?? 21);
const APP_INSIGHTS = {
  APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/',
  // As infra/ sets it: Entra only, with the managed identity.
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=00000000-0000-0000-0000-000000000001;Authorization=AAD',
};

function importMs(entry: string, env: Record<string, string> = {}): number {
  return importEntry(entry, env).ms;
}

const quantile = (values: number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};

/** Each function's first invocation in a fresh host running `entry`: one order there and back, its confirmation, a registration. */
async function firstInvocations(entry: string): Promise<Map<string, number>> {
  const { stack, logs, stop } = await startTestStack({ hostEnv: { HUB_APP_ENTRY: entry, HUB_HOST_QUIET: '0' } });
  try {
    stack.erp.lives!.settings = { enabled: true, stepMs: 200, duplicateRate: 0, shuffle: false, maxDelayMs: 0, rejectRate: 0 };
    const orders = await runOrders(stack, { orders: 1, timeoutMs: 60_000 });
    await waitForConfirmations(stack, [confirmationIdOf('order', orders.orderIds[0]!)], { timeoutMs: 60_000 });
    await waitFor(() => stack.ecp.statusOf(orders.orderIds[0]!)?.fulfillmentStatus === 'delivered', 60_000, 'the order delivered');
    const registrations = await takeRegistrations(stack, 1, () => undefined);
    await waitForConfirmations(stack, [confirmationIdOf('registration', registrations[0]!)], { timeoutMs: 60_000 });
  } finally {
    await stop();
  }
  const first = new Map<string, number>();
  for (const line of logs) {
    const executed = /Executed 'Functions\.([A-Za-z]+)' \((?:Succeeded|Failed), Id=[^,]+, Duration=(\d+)ms\)/.exec(line);
    if (executed !== null && !first.has(executed[1]!)) first.set(executed[1]!, Number(executed[2]));
  }
  return first;
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'order-hub-coldstart-'));
  try {
    const lazy: Bundle = await bundleApp(path.join(dir, 'lazy', 'main.js'));
    const eager: Bundle = await bundleApp(path.join(dir, 'eager', 'main.js'), { eager: true });
    // One warm-up each: the file system cache, not the app, is what a first run would measure.
    importMs(lazy.outfile);
    importMs(eager.outfile);
    const times = { lazy: [] as number[], eager: [] as number[], lazyInsights: [] as number[], eagerInsights: [] as number[] };
    // The order swaps every round: a process started right after another loads a little faster.
    for (let round = 0; round < ROUNDS; round++) {
      const eagerRound = (): void => {
        times.eager.push(importMs(eager.outfile));
        times.eagerInsights.push(importMs(eager.outfile, APP_INSIGHTS));
      };
      const lazyRound = (): void => {
        times.lazy.push(importMs(lazy.outfile));
        times.lazyInsights.push(importMs(lazy.outfile, APP_INSIGHTS));
      };
      if (round % 2 === 0) [eagerRound, lazyRound].forEach((run) => run());
      else [lazyRound, eagerRound].forEach((run) => run());
    }
    const row = (name: string, values: number[], bundle: Bundle): string =>
      `| ${name} | ${quantile(values, 0.5).toFixed(0)} | ${quantile(values, 0.9).toFixed(0)} | ${mb(bundle.bytes)} | ${mb(bundle.totalBytes)} |`;
    console.log(`\nImport of the entry, ${ROUNDS} fresh processes each (ms), with local.settings.sample.json's settings:\n`);
    console.log('| entry | p50 | p90 | entry file | deployed with it |\n|---|---:|---:|---:|---:|');
    console.log(row('every SDK loaded at start (one file)', times.eager, eager));
    console.log(row('SDKs on first use (npm run build)', times.lazy, lazy));
    console.log(row('every SDK at start, Application Insights configured', times.eagerInsights, eager));
    console.log(row('SDKs on first use, Application Insights configured', times.lazyInsights, lazy));
    const ratio = quantile(times.lazy, 0.5) / quantile(times.eager, 0.5);
    const ratioInsights = quantile(times.lazyInsights, 0.5) / quantile(times.eagerInsights, 0.5);
    console.log(
      `\nentry import: ${ratio.toFixed(2)}× the eager bundle's (target ≤ 0.33×); with Application Insights ${ratioInsights.toFixed(2)}×`,
    );

    console.log('\nFirst invocation of each function in a fresh host (ms, the host\'s "Executed" line):\n');
    const lazyFirst = await firstInvocations(lazy.outfile);
    const eagerFirst = await firstInvocations(eager.outfile);
    console.log('| function | every SDK at start | SDKs on first use |\n|---|---:|---:|');
    for (const name of new Set([...eagerFirst.keys(), ...lazyFirst.keys()]))
      console.log(`| ${name} | ${eagerFirst.get(name) ?? '–'} | ${lazyFirst.get(name) ?? '–'} |`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`bench:coldstart failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
