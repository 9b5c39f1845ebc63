import type { ReconcileRun } from '../domain/reconciliationRun';

/** Where the reconciler keeps a summary of every run. */
export interface ReconcileRunsPort {
  keep(run: ReconcileRun): Promise<void>;
  /** The latest runs, newest first. */
  latest(limit: number): Promise<ReconcileRun[]>;
}
