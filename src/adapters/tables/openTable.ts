import type { TableClient } from '@azure/data-tables';
import { ErrorCodes } from '../../domain/errorCodes';
import { HubError } from '../../domain/HubError';
import { onFirstUse } from '../onFirstUse';
import { restErrorStatus } from '../restErrorStatus';
import type { StorageAccount } from '../storageAccount';

/** Table names of the hub, part of the contract with infra/. */
export const TableNames = {
  LEDGER: 'ledger',
  JOURNEYS: 'journeys',
  PARKED: 'parked',
  CALLBACK_SIGNATURES: 'callbacksignatures',
  CONFIRMATIONS: 'confirmations',
  REGISTRATIONS: 'registrations',
  RECONCILE_RUNS: 'reconcileruns',
  ORDER_INDEX: 'orderindex',
  REPLAY_JOBS: 'replayjobs',
  IN_FLIGHT_ORDERS: 'inflightorders',
  STOCK_PUSHED: 'stockpushed',
  STOCK_SYNC: 'stocksync',
} as const;

export interface OpenedTable {
  /** The table's client, once the table exists (made on first use). */
  client: () => Promise<TableClient>;
}

/** @azure/data-tables, loaded on first use rather than at start (cold start). */
export const dataTablesSdk = onFirstUse(() => import('@azure/data-tables'));

/**
 * A table of the hub's storage account: over a connection string (http allowed, for Azurite) or
 * its service URI with the managed identity. The SDK loads and the table is made on first use
 * (infra/ makes them too).
 */
export function openTable(account: StorageAccount, tableName: string): OpenedTable {
  return {
    client: onFirstUse(async () => {
      const { TableClient } = await dataTablesSdk();
      const client =
        typeof account === 'string'
          ? TableClient.fromConnectionString(account, tableName, { allowInsecureConnection: true })
          : new TableClient(account.tableServiceUri, tableName, account.credential);
      await client.createTable();
      return client;
    }),
  };
}

/** 409 (already exists) and 412 (stale etag) become STORAGE.CONFLICT; anything else passes through. */
export function toConflict(error: unknown, what: string): unknown {
  const status = restErrorStatus(error);
  if (status === 409 || status === 412) {
    return new HubError(ErrorCodes.STORAGE_CONFLICT, `${what} was changed by someone else`, { transient: true, cause: error });
  }
  return error;
}

export function isNotFound(error: unknown): boolean {
  return restErrorStatus(error) === 404;
}

/** A key that sorts the later instant first (a table reads its rows in key order). */
export function newestFirstKey(iso: string): string {
  return String(9_999_999_999_999 - Date.parse(iso)).padStart(13, '0');
}

/** Any text as a table key: keys may not hold / \\ # ? or control characters. */
export function tableKey(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

/**
 * JSON text with every character past ASCII written as a `\uXXXX` escape: the same JSON, whose
 * request body has no multi-byte characters. Azurite decodes a large entity's request body chunk by
 * chunk and garbles a character split between two chunks; Azure does not, and reads it the same.
 */
export function asciiJson(json: string): string {
  return json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
