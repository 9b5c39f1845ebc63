/** What became of one SKU at one shop location in a stock run. */
export type StockRowOutcome = 'applied' | 'unchanged' | 'conflictResolved' | 'refused';

export interface StockRowResult {
  sku: string;
  location: string;
  outcome: StockRowOutcome;
  /** The shop's `available` now (applied, unchanged, conflict resolved). */
  quantity?: number;
  /** Why it was refused: the shop's code, or the hub's (a conflict that kept coming back, a call that failed). */
  code?: string;
  reason?: string;
}

/** The hub's own codes for a refused row (the shop's own come as the shop gives them). */
export const StockRefusals = {
  /** The SKU or location is in no lookup: no ERP figure to push. */
  NOT_MAPPED: 'STOCK.NOT_MAPPED',
  /** The shop changed the row every time the hub set it, past STOCK_STALE_RETRIES. */
  KEPT_CHANGING: 'STOCK.KEPT_CHANGING',
  /** A set call failed for a reason that is not a HubError of its own. */
  PUSH_FAILED: 'STOCK.PUSH_FAILED',
  /** A read of the shop's levels failed for a reason that is not a HubError of its own. */
  READ_FAILED: 'STOCK.READ_FAILED',
  /** The shop's answer to a set call did not mention the row. */
  NO_ANSWER: 'STOCK.NO_ANSWER',
} as const;

export const StockRunKinds = { DELTA: 'delta', FULL: 'full', PRICES: 'prices' } as const;
export type StockRunKind = (typeof StockRunKinds)[keyof typeof StockRunKinds];

export type StockRunStatus = 'Running' | 'Success' | 'Partial' | 'Failed';

export interface StockRunCounts {
  rows: number;
  applied: number;
  unchanged: number;
  conflictResolved: number;
  refused: number;
}

/** One delta sync or full reconciliation, as kept and shown to operators. */
export interface StockRun {
  runId: string;
  kind: StockRunKind;
  startedAt: string;
  finishedAt?: string;
  status: StockRunStatus;
  counts: StockRunCounts;
  /** Refused rows by code. */
  refusedByCode: Record<string, number>;
  /** A few refused rows, as examples for the operator. */
  refusedRows: StockRowResult[];
  /** Delta: the ledger entries it read (after `from`, up to `to`). */
  ledger?: { from: number; to: number };
  /** Full: how far it has come (pages of shop levels done, the next page's cursor, when it was kept). */
  progress?: { pages: number; cursor?: string; done: boolean; keptAt?: string };
  /** Why it failed, or what it could not do. */
  error?: string;
}

export const NO_COUNTS: StockRunCounts = { rows: 0, applied: 0, unchanged: 0, conflictResolved: 0, refused: 0 };

/** Refused rows a run keeps as examples. */
const KEPT_REFUSALS = 20;

/** Adds a batch of row results to a run's counts. */
export function countResults(run: StockRun, results: readonly StockRowResult[]): void {
  for (const r of results) {
    run.counts.rows++;
    run.counts[r.outcome]++;
    if (r.outcome === 'refused') {
      const code = r.code ?? 'REFUSED';
      run.refusedByCode[code] = (run.refusedByCode[code] ?? 0) + 1;
      if (run.refusedRows.length < KEPT_REFUSALS) run.refusedRows.push(r);
    }
  }
}

/**
 * Success: every row is where it should be. Partial: some rows were refused (by the shop, or for a
 * call that failed), the others applied. Failed: the run could not do its work (an error stopped it).
 */
export function finishedStatus(run: StockRun): Exclude<StockRunStatus, 'Running'> {
  if (run.error !== undefined) return run.counts.applied + run.counts.conflictResolved > 0 ? 'Partial' : 'Failed';
  return run.counts.refused > 0 ? 'Partial' : 'Success';
}

/** One line of a run for logs and the CLI. */
export function describeStockRun(run: StockRun): string {
  const c = run.counts;
  const refused = Object.entries(run.refusedByCode)
    .map(([code, n]) => `${n} ${code}`)
    .join(', ');
  return (
    `stock ${run.kind} run ${run.runId} ${run.status}: ${c.rows} rows, ${c.applied} applied, ${c.unchanged} unchanged, ` +
    `${c.conflictResolved} conflicts resolved, ${c.refused} refused${refused === '' ? '' : ` (${refused})`}` +
    (run.error === undefined ? '' : `; ${run.error}`)
  );
}
