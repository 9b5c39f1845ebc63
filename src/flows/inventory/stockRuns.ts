import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ErrorCodes } from '../../domain/errorCodes';
import { HubError } from '../../domain/HubError';
import { finishedStatus, NO_COUNTS, StockRefusals, type StockRowResult, type StockRun, type StockRunKind } from '../../domain/stockRun';
import type { StockStatePort } from '../../ports/StockStatePort';

/** How many of the latest runs to show: `GET /api/ops/stock/runs?limit=` and `npx hub inventory runs --limit`. */
export const stockRunsQuerySchema = z.object({
  limit: z.coerce
    .number({ error: 'a whole number from 1 to 200' })
    .int({ error: 'a whole number from 1 to 200' })
    .min(1, { error: 'a whole number from 1 to 200' })
    .max(200, { error: 'a whole number from 1 to 200' })
    .default(20),
});

/** A run just started. */
export function newStockRun(
  kind: StockRunKind,
  now: Date,
  runId = `${kind}-${now.toISOString().replace(/[-:.]/g, '')}-${randomUUID().slice(0, 8)}`,
): StockRun {
  return { runId, kind, startedAt: now.toISOString(), status: 'Running', counts: { ...NO_COUNTS }, refusedByCode: {}, refusedRows: [] };
}

/** Refusals the next run may mend by itself (the shop or the ERP was busy or down, the row kept changing). */
const PASSING = new Set<string>([
  ErrorCodes.ECP_THROTTLED,
  ErrorCodes.ECP_UNAVAILABLE,
  ErrorCodes.ECP_TIMEOUT,
  ErrorCodes.ERP_THROTTLED,
  ErrorCodes.ERP_UNAVAILABLE,
  ErrorCodes.ERP_TIMEOUT,
  StockRefusals.KEPT_CHANGING,
  StockRefusals.PUSH_FAILED,
  StockRefusals.READ_FAILED,
  StockRefusals.NO_ANSWER,
]);

/** Ends a run: when, its status from what it did, kept. */
export async function finishStockRun(run: StockRun, deps: { state: StockStatePort; now: () => Date }): Promise<StockRun> {
  run.finishedAt = deps.now().toISOString();
  run.status = finishedStatus(run);
  await deps.state.keepRun(run);
  return run;
}

export function isPassingRefusal(result: StockRowResult): boolean {
  return result.outcome === 'refused' && PASSING.has(result.code ?? '');
}

/** Why a call failed, for each row it carried: the HubError's own code (else `fallback`) and its message. */
export function refusalOf(error: unknown, fallback: string): { outcome: 'refused'; code: string; reason: string } {
  return {
    outcome: 'refused',
    code: HubError.isHubError(error) ? error.code : fallback,
    reason: error instanceof Error ? error.message : String(error),
  };
}

/**
 * The idempotency key of one shop call of a run: the run's id and a digest of the call's rows, the
 * same on every try of that call (one that went through but whose answer was lost is answered again,
 * not applied twice) and another for any other call.
 */
export function callKey(runId: string, rows: readonly unknown[]): string {
  return `${runId}:${createHash('sha256').update(JSON.stringify(rows)).digest('base64url').slice(0, 22)}`;
}
