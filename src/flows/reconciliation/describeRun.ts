import type { ReconcileRun } from '../../domain/reconciliationRun';

/** One line for the log and the terminal: what a reconciler run found and did. */
export function describeRun(run: ReconcileRun): string {
  const { counts } = run;
  const acted = [
    counts.queuedUnseen > 0 ? `${counts.queuedUnseen} never seen, queued` : '',
    counts.requeued > 0 ? `${counts.requeued} stuck, queued again` : '',
    counts.foundInErp > 0 ? `${counts.foundInErp} found in the ERP` : '',
    counts.notInErp > 0 ? `${counts.notInErp} not in the ERP` : '',
    counts.failed > 0 ? `${counts.failed} could not be checked` : '',
  ].filter((part) => part !== '');
  const seconds = ((Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000).toFixed(1);
  return (
    `reconciler ${run.outcome}: ${counts.listed} ECP orders changed since ${run.window.from} checked in ${seconds} s` +
    ` (${counts.inStep} in step, ${counts.young} too recent, ${counts.seen} on their way, ${counts.parked} parked)` +
    (acted.length === 0 ? '; nothing to do' : `; ${acted.join(', ')}`) +
    (run.error === undefined ? '' : `; ${run.error}`)
  );
}
