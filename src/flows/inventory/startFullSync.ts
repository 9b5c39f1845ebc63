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

/** A function's durable client (`df.getClient(context)`), as the starter of a full reconciliation. */
export function startingWith(client: {
  startNew(name: string, options: { instanceId: string; input: unknown }): Promise<string>;
}): StartOrchestration {
  return async (name, instanceId, input) => {
    await client.startNew(name, { instanceId, input });
  };
}

export type FullSyncStart = { started: StockRun } | { running: StockRun };

/** The latest full reconciliation kept, whatever its status. */
export async function latestFullSync(state: StockStatePort): Promise<StockRun | undefined> {
  return (await state.runs(20)).find((r) => r.kind === 'full');
}

/** Whether a full reconciliation is under way: running, and its progress kept recently enough (else its runner is gone). */
export function isUnderWay(run: StockRun, now: Date): boolean {
  if (run.status !== 'Running') return false;
  const lastSeen = Date.parse(run.finishedAt ?? run.progress?.keptAt ?? run.startedAt);
  return now.getTime() - lastSeen < ABANDONED_AFTER_MS;
}

/**
 * Starts a full reconciliation (nightly, or asked for), unless one is under way: one at a time.
 * It runs as a Durable orchestration whose instance id is the run's id, so that a crash of the
 * host resumes it where its history stands.
 */
export async function startFullSync(deps: { state: StockStatePort; now: () => Date; start: StartOrchestration }): Promise<FullSyncStart> {
  const latest = await latestFullSync(deps.state);
  if (latest !== undefined && isUnderWay(latest, deps.now())) return { running: latest };
  const run = await beginFullSync(deps);
  await deps.start(StockFullSyncFunctions.ORCHESTRATION, run.runId, { runId: run.runId });
  return { started: run };
}
