import type { ReconcileNote, ReconcileRun } from '../../domain/reconciliationRun';
import type { ReconcileRunsPort } from '../../ports/ReconcileRunsPort';
import type { StorageAccount } from '../storageAccount';
import { asciiJson, newestFirstKey, openTable, TableNames, type OpenedTable } from './openTable';

const PARTITION = 'runs';
/** A table property holds at most 64 KiB (32 K characters): the notes are cut to fit. */
const MAX_NOTES_CHARS = 30_000;

/** Newest first in the table's own order. */
const rowKeyOf = (run: ReconcileRun): string => `${newestFirstKey(run.startedAt)}~${run.runId}`;

function notesThatFit(notes: ReconcileNote[]): string {
  let kept = notes;
  let json = asciiJson(JSON.stringify(kept));
  while (json.length > MAX_NOTES_CHARS && kept.length > 0) {
    kept = kept.slice(0, Math.floor(kept.length / 2));
    json = asciiJson(JSON.stringify(kept));
  }
  return json;
}

/** The `reconcileruns` table: one row per reconciler run, newest first. */
export class ReconcileRunTable implements ReconcileRunsPort {
  private readonly table: OpenedTable;

  constructor(account: StorageAccount) {
    this.table = openTable(account, TableNames.RECONCILE_RUNS);
  }

  async keep(run: ReconcileRun): Promise<void> {
    const client = await this.table.client();
    const { notes, counts, window, ...fields } = run;
    await client.upsertEntity(
      {
        partitionKey: PARTITION,
        rowKey: rowKeyOf(run),
        ...fields,
        windowFrom: window.from,
        windowTo: window.to,
        counts: JSON.stringify(counts),
        notes: notesThatFit(notes),
      },
      'Replace',
    );
  }

  async latest(limit: number): Promise<ReconcileRun[]> {
    const client = await this.table.client();
    const runs: ReconcileRun[] = [];
    const pages = client
      .listEntities<Record<string, string>>({ queryOptions: { filter: `PartitionKey eq '${PARTITION}'` } })
      .byPage({ maxPageSize: limit });
    for await (const page of pages) {
      for (const row of page) {
        if (runs.length >= limit) break;
        runs.push({
          runId: row.runId ?? '',
          startedAt: row.startedAt ?? '',
          finishedAt: row.finishedAt ?? '',
          window: { from: row.windowFrom ?? '', to: row.windowTo ?? '' },
          outcome: row.outcome as ReconcileRun['outcome'],
          counts: JSON.parse(row.counts ?? '{}') as ReconcileRun['counts'],
          notes: JSON.parse(row.notes ?? '[]') as ReconcileNote[],
          by: row.by ?? '',
          ...(row.error === undefined ? {} : { error: row.error }),
        });
      }
      if (runs.length >= limit) break;
    }
    return runs;
  }
}
