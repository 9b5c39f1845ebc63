import { createHash } from 'node:crypto';
import type { TableClient, TableTransaction } from '@azure/data-tables';
import { batchesOf } from '../../domain/batches';
import type { StockRun } from '../../domain/stockRun';
import { stockKey } from '../../domain/shopOrderUnits';
import type { PushedPrice, PushedStock, StockStatePort } from '../../ports/StockStatePort';
import type { StorageAccount } from '../storageAccount';
import { asciiJson, isNotFound, newestFirstKey, openTable, TableNames, type OpenedTable } from './openTable';

/** A SKU as a row key in SKU order: only what keys may not hold (/ \ # ? % and control characters) escaped. */
const skuKey = (sku: string): string =>
  // eslint-disable-next-line no-control-regex -- control characters are among what keys may not hold
  sku.replace(/[%/\\#?\u0000-\u001f\u007f-\u009f]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`);

/** Partitions a shop location's rows are spread over: a partition serves about 2,000 entities a second in Azure. */
const BUCKETS = 64;

/**
 * The partition of a SKU's row at a shop location (apart from the partitions `held` and `prices`):
 * the location and one of 64 buckets by a hash of the SKU, so that a catalog's writes spread.
 */
const partitionOf = (sku: string, location: string): string =>
  `at~${skuKey(location)}~${String(createHash('sha1').update(sku).digest().readUInt16BE(0) % BUCKETS).padStart(2, '0')}`;
const HELD = 'held';
const PRICES = 'prices';
const STATE = 'state';
const RUNS = 'runs';
/** Rows one transaction may hold (one partition). */
const BATCH = 100;
/** A table property holds at most 32 K characters. */
const MAX_JSON = 30_000;

type PushedRow = Omit<PushedStock, 'sku' | 'location'> & { sku: string; location: string };

/** Writes of one partition, in transactions of as many as one holds. */
async function inTransactions(client: TableClient, actions: TableTransaction['actions']): Promise<void> {
  for (const batch of batchesOf(actions, BATCH)) await client.submitTransaction(batch);
}

/**
 * Stock sync's tables: `stockpushed` (what was last set per SKU, spread over 64 partitions per shop location, and
 * the rows held down to the shop's ceiling in partition `held`) and `stocksync` (the ledger
 * watermark, and the runs, newest first).
 */
export class StockStateTables implements StockStatePort {
  private readonly pushedTable: OpenedTable;
  private readonly syncTable: OpenedTable;

  constructor(account: StorageAccount) {
    this.pushedTable = openTable(account, TableNames.STOCK_PUSHED);
    this.syncTable = openTable(account, TableNames.STOCK_SYNC);
  }

  async pushed(keys: readonly { sku: string; location: string }[]): Promise<Map<string, PushedStock>> {
    const client = await this.pushedTable.client();
    const found = new Map<string, PushedStock>();
    const wanted = new Set(keys.map((k) => stockKey(k.sku, k.location)));
    const byPartition = new Map<string, string[]>();
    for (const k of keys) {
      const partition = partitionOf(k.sku, k.location);
      const skus = byPartition.get(partition) ?? [];
      skus.push(skuKey(k.sku));
      byPartition.set(partition, skus);
    }
    const take = (row: PushedRow): void => {
      if (wanted.has(stockKey(row.sku, row.location))) found.set(stockKey(row.sku, row.location), toPushed(row));
    };
    const read = async ([partition, skus]: [string, string[]]): Promise<void> => {
      if (skus.length <= 20) {
        // A few: read each.
        await Promise.all(
          skus.map(async (rowKey) => {
            try {
              take(await client.getEntity<PushedRow>(partition, rowKey));
            } catch (error) {
              if (!isNotFound(error)) throw error;
            }
          }),
        );
        return;
      }
      // Many: read the range they span, a page at a time.
      const sorted = [...skus].sort();
      const quoted = (text: string): string => `'${text.replace(/'/g, "''")}'`;
      const filter = `PartitionKey eq ${quoted(partition)} and RowKey ge ${quoted(sorted[0] ?? '')} and RowKey le ${quoted(sorted.at(-1) ?? '')}`;
      for await (const row of client.listEntities<PushedRow>({ queryOptions: { filter } })) take(row);
    };
    // Sixteen partitions at a time.
    const partitions = [...byPartition];
    for (const batch of batchesOf(partitions, 16)) await Promise.all(batch.map(read));
    return found;
  }

  async pushedPrices(): Promise<Map<string, PushedPrice>> {
    const client = await this.pushedTable.client();
    const prices = new Map<string, PushedPrice>();
    for await (const row of client.listEntities<Omit<PushedPrice, 'compareAtPrice'> & { compareAtPrice?: number }>({
      queryOptions: { filter: `PartitionKey eq '${PRICES}'` },
    }))
      prices.set(row.sku, { sku: row.sku, price: row.price, compareAtPrice: row.compareAtPrice ?? null, at: row.at, runId: row.runId });
    return prices;
  }

  async recordPrices(rows: readonly PushedPrice[]): Promise<void> {
    const client = await this.pushedTable.client();
    const actions: TableTransaction['actions'] = rows.map(({ compareAtPrice, ...row }) => [
      'upsert',
      { partitionKey: PRICES, rowKey: skuKey(row.sku), ...row, ...(compareAtPrice === null ? {} : { compareAtPrice }) },
      'Replace',
    ]);
    await inTransactions(client, actions);
  }

  async held(): Promise<{ sku: string; location: string }[]> {
    const client = await this.pushedTable.client();
    const rows: { sku: string; location: string }[] = [];
    for await (const row of client.listEntities<{ sku: string; location: string }>({
      queryOptions: { filter: `PartitionKey eq '${HELD}'`, select: ['sku', 'location'] },
    }))
      rows.push({ sku: row.sku, location: row.location });
    return rows;
  }

  async recordPushed(rows: readonly PushedStock[]): Promise<void> {
    const client = await this.pushedTable.client();
    const writes = new Map<string, TableTransaction['actions']>();
    const add = (partition: string, action: TableTransaction['actions'][number]): void => {
      const actions = writes.get(partition) ?? [];
      actions.push(action);
      writes.set(partition, actions);
    };
    const last = new Map(rows.map((r) => [stockKey(r.sku, r.location), r]));
    // The rows held now (a few at most): only those no longer held are deleted.
    const heldNow = new Set((await this.held()).map((h) => stockKey(h.sku, h.location)));
    for (const row of last.values()) {
      add(partitionOf(row.sku, row.location), [
        'upsert',
        { partitionKey: partitionOf(row.sku, row.location), rowKey: skuKey(row.sku), ...row },
        'Replace',
      ]);
      const heldKey = `${row.location}|${skuKey(row.sku)}`;
      if (row.held) add(HELD, ['upsert', { partitionKey: HELD, rowKey: heldKey, sku: row.sku, location: row.location }, 'Replace']);
      else if (heldNow.has(stockKey(row.sku, row.location))) add(HELD, ['delete', { partitionKey: HELD, rowKey: heldKey }]);
    }
    for (const [partition, actions] of writes) {
      if (partition === HELD) {
        // A delete of a row that is not there fails the whole transaction: the held partition row by row.
        await Promise.all(
          actions.map(async ([kind, entity]) => {
            if (kind === 'upsert') await client.upsertEntity(entity, 'Replace');
            else
              await client.deleteEntity(entity.partitionKey, entity.rowKey).catch((error: unknown) => {
                if (!isNotFound(error)) throw error;
              });
          }),
        );
        continue;
      }
      await inTransactions(client, actions);
    }
  }

  async watermark(): Promise<number> {
    const client = await this.syncTable.client();
    try {
      return (await client.getEntity<{ entryNo: number }>(STATE, 'watermark')).entryNo;
    } catch (error) {
      if (isNotFound(error)) return 0;
      throw error;
    }
  }

  async setWatermark(entryNo: number): Promise<void> {
    const client = await this.syncTable.client();
    await client.upsertEntity({ partitionKey: STATE, rowKey: 'watermark', entryNo }, 'Replace');
  }

  async keepRun(run: StockRun): Promise<void> {
    const client = await this.syncTable.client();
    const json = asciiJson(JSON.stringify(run));
    const kept = json.length <= MAX_JSON ? json : asciiJson(JSON.stringify({ ...run, refusedRows: run.refusedRows.slice(0, 3) }));
    await client.upsertEntity(
      {
        partitionKey: RUNS,
        rowKey: `${newestFirstKey(run.startedAt)}~${run.runId}`,
        runId: run.runId,
        kind: run.kind,
        status: run.status,
        run: kept,
      },
      'Replace',
    );
  }

  async runs(limit: number): Promise<StockRun[]> {
    const client = await this.syncTable.client();
    const runs: StockRun[] = [];
    const pages = client
      .listEntities<{ run: string }>({ queryOptions: { filter: `PartitionKey eq '${RUNS}'` } })
      .byPage({ maxPageSize: limit });
    for await (const page of pages) {
      for (const row of page) if (runs.length < limit) runs.push(JSON.parse(row.run) as StockRun);
      if (runs.length >= limit) break;
    }
    return runs;
  }

  async run(runId: string): Promise<StockRun | undefined> {
    const client = await this.syncTable.client();
    for await (const row of client.listEntities<{ run: string }>({
      queryOptions: { filter: `PartitionKey eq '${RUNS}' and runId eq '${runId.replace(/'/g, "''")}'` },
    }))
      return JSON.parse(row.run) as StockRun;
    return undefined;
  }
}

function toPushed(row: PushedRow): PushedStock {
  const { sku, location, quantity, held, at, erpAvailable, erpOnHand, inFlight, safetyStock, sellable, runId, why } = row;
  return { sku, location, quantity, held, at, erpAvailable, erpOnHand, inFlight, safetyStock, sellable, runId, why };
}
