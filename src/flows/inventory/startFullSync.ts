import type { StockRun } from '../../domain/stockRun';
import type { StockStatePort } from '../../ports/StockStatePort';
import { ABANDONED_AFTER_MS, beginFullSync } from './fullSync';

/** The Durable names of a full reconciliation: the orchestration, and the activities it calls. */
export const StockFullSyncFunctions = {
  ORCHESTRATION: 'stockFullSync',
  PART: 'stockFullSyncPart',
  FAILED: 'stockFullSyncFailed',
} as const;

/** Starts an orchestration by name, with an instance id and an input (the durable client does). */
export type StartOrchestration = (name: string, instanceId: string, input: { runId: string }) => Promise<void>;

export type FullSyncStart = { started: StockRun } | { running: StockRun };

/** The full reconciliation under way, if one is (its progress kept recently enough). */
export async function runningFullSync(state: StockStatePort, now: Date): Promise<StockRun | undefined> {
  const latest = (await state.runs(20)).find((r) => r.kind === 'full');
  if (latest?.status !== 'Running') return undefined;
  const lastSeen = Date.parse(latest.finishedAt ?? latest.progress?.keptAt ?? latest.startedAt);
  return now.getTime() - lastSeen < ABANDONED_AFTER_MS ? latest : undefined;
}

/**
 * Starts a full reconciliation (nightly, or asked for), unless one is under way: one at a time.
 * It runs as a Durable orchestration whose instance id is the run's id, so that a crash of the
 * host resumes it where its history stands.
 */
export async function startFullSync(deps: { state: StockStatePort; now: () => Date; start: StartOrchestration }): Promise<FullSyncStart> {
  const running = await runningFullSync(deps.state, deps.now());
  if (running !== undefined) return { running };
  const run = await beginFullSync(deps);
  await deps.start(StockFullSyncFunctions.ORCHESTRATION, run.runId, { runId: run.runId });
  return { started: run };
}
