import type { ReconcileAction } from './reconciliation';

/** What became of one order the reconciler acted on. */
export type ReconcileResultKind =
  | Exclude<ReconcileAction['kind'], 'lookUp' | 'requeue' | 'queueUnseen'>
  | 'queuedUnseen'
  | 'requeued'
  | 'foundInErp'
  | 'notInErp'
  | 'failed';

export type ReconcileCounts = Record<ReconcileResultKind | 'listed', number>;

export const emptyCounts = (): ReconcileCounts => ({
  listed: 0,
  inStep: 0,
  young: 0,
  seen: 0,
  parked: 0,
  queuedUnseen: 0,
  requeued: 0,
  foundInErp: 0,
  notInErp: 0,
  failed: 0,
});

/** One order the reconciler changed something for (or failed on), with why. */
export interface ReconcileNote {
  orderId: string;
  result: ReconcileResultKind;
  detail: string;
  code?: string;
}

/**
 * A reconciler run, kept: Success when every listed order was checked, Partial when some could not
 * be (their notes say why), Failed when the ECP's list could not be read to the end.
 */
export interface ReconcileRun {
  runId: string;
  startedAt: string;
  finishedAt: string;
  /** The window of ECP changes the run listed. */
  window: { from: string; to: string };
  outcome: 'Success' | 'Partial' | 'Failed';
  counts: ReconcileCounts;
  /** The orders acted on or failed on, first ones first (at most MAX_NOTES). */
  notes: ReconcileNote[];
  /** Why the run failed, when it did. */
  error?: string;
  /** Who ran it: the timer function, or the operator's command. */
  by: string;
}

export const MAX_NOTES = 200;
