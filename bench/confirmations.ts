/**
 * `npm run bench:confirmations`: confirmations per second and latency through the local Durable
 * backend at a fixed concurrency, beside the bare loop of the same three calls and writes (the
 * floor), in one run.
 */
import { Command } from 'commander';
import { count } from '../local/support/optionParsers';
import type { StorageCalls } from './pipeline/storageCalls';
import { bareConfirmations, BARE_CALLS } from './confirmations/bareConfirmations';
import { throughDurable, type ConfirmationLoopResult } from './confirmations/throughDurable';

const program = new Command('bench:confirmations')
  .description('Confirmations/s and p50/p95/p99 through the local Durable backend beside the bare loop of the same calls and writes')
  .option('--confirmations <n>', 'confirmations timed on each side in each round', count, 200)
  .option('--rounds <n>', 'rounds of Durable then floor; the median round of each is reported', count, 3)
  .option('--concurrency <n>', 'confirmations in flight at any time', count, 8)
  .option('--warmup <n>', 'confirmations run first and not timed (each round starts a fresh host: enough for it to warm up)', count, 100)
  .option('--calibration <n>', 'confirmations of the untimed run that counts storage calls', count, 60);

const median = (rounds: ConfirmationLoopResult[]): ConfirmationLoopResult =>
  [...rounds].sort((a, b) => a.ordersPerSecond - b.ordersPerSecond)[Math.floor(rounds.length / 2)]!;

const row = (name: string, r: ConfirmationLoopResult, calls: StorageCalls | undefined): string =>
  `| ${name} | ${r.ordersPerSecond.toFixed(1)} | ${r.latencyMs.p50.toFixed(0)} | ${r.latencyMs.p95.toFixed(0)} | ${r.latencyMs.p99.toFixed(0)} | ${
    calls === undefined ? '?' : `${calls.total.toFixed(1)} (${calls.receives.toFixed(1)} receives)`
  } |`;

async function main(): Promise<void> {
  const options = program
    .parse()
    .opts<{ confirmations: number; rounds: number; concurrency: number; warmup: number; calibration: number }>();
  console.log(
    `${options.rounds} rounds of ${options.confirmations} confirmations (after ${options.warmup} warm-up) at concurrency ${options.concurrency}, Node ${process.version}\n`,
  );
  const durable: ConfirmationLoopResult[] = [];
  const floor: ConfirmationLoopResult[] = [];
  for (let round = 0; round < options.rounds; round++) {
    durable.push(await throughDurable(options, `d${round}`));
    floor.push(await bareConfirmations(options, `f${round}`));
    const [d, f] = [durable.at(-1)!.ordersPerSecond, floor.at(-1)!.ordersPerSecond];
    console.log(`round ${round + 1}: Durable ${d.toFixed(1)}, floor ${f.toFixed(1)} confirmations/s (${(d / f).toFixed(2)}×)`);
  }
  const calibration = { confirmations: options.calibration, concurrency: options.concurrency, warmup: 10, countStorageCalls: true };
  const durableCalls = (await throughDurable(calibration, 'dc')).storageCallsPerConfirmation;
  const floorCalls = (await bareConfirmations(calibration, 'fc')).storageCallsPerConfirmation;
  const hub = median(durable);
  const bare = median(floor);
  console.log('');
  console.log('| path | confirmations/s | p50 ms | p95 ms | p99 ms | storage calls per confirmation |');
  console.log('|---|---:|---:|---:|---:|---:|');
  console.log(row('orchestration through the local Durable backend', hub, durableCalls));
  console.log(row(`bare loop (${BARE_CALLS}, the same table writes)`, bare, floorCalls));
  const ratio = hub.ordersPerSecond / bare.ordersPerSecond;
  const cpuLine = (name: string, r: ConfirmationLoopResult): string => {
    const total = r.cpu.reduce((sum, share) => sum + share.msPerConfirmation, 0);
    const shares = r.cpu.map((share) => `${share.process} ${share.msPerConfirmation.toFixed(1)}`).join(', ');
    return `${name}: ${total.toFixed(1)} ms (${shares})`;
  };
  console.log('\nCPU time per confirmation (median rounds), all processes on the same cores:');
  console.log(`  ${cpuLine('Durable', hub)}`);
  console.log(`  ${cpuLine('floor', bare)}`);
  const mails = Math.max(...durable.map((r) => r.mailsPerConfirmation));
  // Each round's two sides run minutes apart at most: their ratio is less moved by the machine's drift than the medians'.
  const roundRatios = durable.map((r, i) => r.ordersPerSecond / floor[i]!.ordersPerSecond).sort((a, b) => a - b);
  const medianRatio = roundRatios[Math.floor(roundRatios.length / 2)]!;
  console.log(
    `\nDurable / floor: ${ratio.toFixed(2)}× the floor's rate (median rounds; target ≥ 0.5×), ${medianRatio.toFixed(2)}× the median of the rounds' own ratios; mails per confirmation at most ${mails.toFixed(2)}`,
  );
  if (mails > 1) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
