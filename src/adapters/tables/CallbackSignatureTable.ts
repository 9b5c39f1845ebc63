import { createHash } from 'node:crypto';
import type { CallbackReplayGuardPort } from '../../ports/CallbackReplayGuardPort';
import { restErrorStatus } from '../restErrorStatus';
import type { StorageAccount } from '../storageAccount';
import { openTable, TableNames, type OpenedTable } from './openTable';

/**
 * The `callbacksignatures` table: one row per accepted callback signature, partitioned by the hour
 * it was signed in (a callback older than the tolerance is refused before this is asked, so old
 * partitions can be dropped).
 */
export class CallbackSignatureTable implements CallbackReplayGuardPort {
  private readonly table: OpenedTable;

  constructor(account: StorageAccount) {
    this.table = openTable(account, TableNames.CALLBACK_SIGNATURES);
  }

  async firstSighting(signature: string, signedAt: Date): Promise<boolean> {
    const client = await this.table.client();
    const partitionKey = signedAt.toISOString().slice(0, 13);
    const rowKey = createHash('sha256').update(signature).digest('hex');
    try {
      await client.createEntity({ partitionKey, rowKey, seenAt: new Date().toISOString() });
      return true;
    } catch (error) {
      if (restErrorStatus(error) === 409) return false;
      throw error;
    }
  }
}
