import type { RegistrationRecord, RegistrationsPort } from '../../ports/RegistrationsPort';
import { asciiJson, isNotFound, openTable, TableNames, toConflict, type OpenedTable } from './openTable';
import type { StorageAccount } from '../storageAccount';
import { HubError } from '../../domain/HubError';

/** The `registrations` table: one row per registration (PartitionKey = registration id), the record as JSON beside its state. */
export class RegistrationTable implements RegistrationsPort {
  private readonly table: OpenedTable;

  constructor(account: StorageAccount) {
    this.table = openTable(account, TableNames.REGISTRATIONS);
  }

  private entity(record: RegistrationRecord) {
    return { partitionKey: record.registrationId, rowKey: '', state: record.state, record: asciiJson(JSON.stringify(record)) };
  }

  async begin(record: RegistrationRecord): Promise<{ created: true } | { created: false; existing: RegistrationRecord }> {
    const client = await this.table.client();
    try {
      await client.createEntity(this.entity(record));
      return { created: true };
    } catch (error) {
      const conflict = toConflict(error, `registration ${record.registrationId}`);
      if (!HubError.isHubError(conflict)) throw error;
    }
    try {
      const row = await client.getEntity<{ record: string }>(record.registrationId, '');
      return { created: false, existing: JSON.parse(row.record) as RegistrationRecord };
    } catch (error) {
      if (isNotFound(error)) return await this.begin(record);
      throw error;
    }
  }

  async update(record: RegistrationRecord): Promise<void> {
    const client = await this.table.client();
    await client.upsertEntity(this.entity(record), 'Replace');
  }
}
