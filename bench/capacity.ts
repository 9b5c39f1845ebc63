/**
 * `npm run bench:capacity`: what one instance of the hub sustains as the Service Bus trigger's
 * session concurrency (host.json `maxConcurrentSessions`, the cap on orders in the ERP's hands at
 * once) grows: 4, 8, 16, 32, with the sandbox ERP answering every call in 200 ms, the rest of the
 * hub as deployed (confirmations and lifecycle events included). Each level is a fresh local stack
 * with its own host.json; orders are placed with more in flight than any level takes, so the cap,
 * not the load, decides. Reports throughput, p50/p95 placed → in the ERP, and the CPU each order
 * costs per process (the host, Azurite, the stand-ins), which says why a level stops scaling.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../local/stack/localSettings';
import { throughLocalRuntime } from './pipeline/throughLocalRuntime';

const LEVELS = (process.env.CAPACITY_LEVELS ?? '4,8,16,32').split(',').map(Number);
const ORDERS = Number(process.env.CAPACITY_ORDERS ?? 300);
const IN_FLIGHT = Number(process.env.CAPACITY_IN_FLIGHT ?? 64);
const ERP_LATENCY_MS = 200;

function hostJsonWith(maxConcurrentSessions: number, dir: string): string {
  const hostJson = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'host.json'), 'utf8')) as {
    extensions: { serviceBus: Record<string, unknown> };
  };
  hostJson.extensions.serviceBus.maxConcurrentSessions = maxConcurrentSessions;
  const file = path.join(dir, `host.${maxConcurrentSessions}.json`);
  writeFileSync(file, JSON.stringify(hostJson, null, 2));
  return file;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'order-hub-capacity-'));
  const rows: string[] = [];
  try {
    for (const sessions of LEVELS) {
      const result = await throughLocalRuntime({
        orders: ORDERS,
        concurrency: IN_FLIGHT,
        warmup: 40,
        erpLatencyMs: ERP_LATENCY_MS,
        hostJsonPath: hostJsonWith(sessions, dir),
      });
      const cpu = result.cpu ?? [];
      const cpuMs = cpu.reduce((sum, share) => sum + share.msPerConfirmation, 0);
      const coresBusy = (cpuMs * result.ordersPerSecond) / 1000;
      const ceiling = sessions / (ERP_LATENCY_MS / 1000);
      const row = `| ${sessions} | ${result.ordersPerSecond.toFixed(1)} | ${ceiling.toFixed(0)} | ${result.latencyMs.p50.toFixed(0)} | ${result.latencyMs.p95.toFixed(0)} | ${cpu.map((s) => s.msPerConfirmation.toFixed(1)).join(' / ')} | ${coresBusy.toFixed(2)} | ${result.duplicates} |`;
      rows.push(row);
      console.log(row);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    `\n${ORDERS} timed orders per level after 40 warm-up, ${IN_FLIGHT} in flight, ERP ${ERP_LATENCY_MS} ms per call:\n\n` +
      '| maxConcurrentSessions | orders/s | ERP-bound ceiling (sessions ÷ 0.2 s) | p50 ms | p95 ms | CPU ms per order: host / Azurite / stand-ins | cores busy | duplicates |\n' +
      '|---:|---:|---:|---:|---:|---|---:|---:|\n' +
      rows.join('\n'),
  );
}

main().catch((error: unknown) => {
  console.error(`bench:capacity failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
