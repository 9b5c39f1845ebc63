import { RestError } from '@azure/data-tables';
import type { ConfirmationRequest } from '../../domain/confirmation';
import type { ConfirmationRecord, ConfirmationsPort, EmailRecord, StoredConfirmation } from '../../ports/ConfirmationsPort';
import { asciiJson, isNotFound, openTable, TableNames, type OpenedTable } from './openTable';

type Row = Record<string, unknown> & { etag: string };

const text = (row: Row, name: string): string | undefined => (typeof row[name] === 'string' ? row[name] : undefined);

function emailColumns(email: EmailRecord): Record<string, string | number> {
  return {
    emailState: email.state,
    emailClaimedAt: email.claimedAt,
    emailAttempts: email.attempts,
    ...(email.messageId === undefined ? {} : { emailMessageId: email.messageId }),
    ...(email.sentAt === undefined ? {} : { emailSentAt: email.sentAt }),
  };
}

function recordOf(confirmationId: string, row: Row): ConfirmationRecord {
  const request = text(row, 'request');
  const emailState = text(row, 'emailState') as EmailRecord['state'] | undefined;
  const messageId = text(row, 'emailMessageId');
  const sentAt = text(row, 'emailSentAt');
  const listOutcome = text(row, 'mailingListOutcome');
  const concluded = text(row, 'conclusion') as 'confirmed' | 'needsAttention' | undefined;
  return {
    confirmationId,
    ...(request === undefined ? {} : { request: JSON.parse(request) as ConfirmationRequest }),
    ...(text(row, 'savedAt') === undefined ? {} : { savedAt: text(row, 'savedAt') }),
    ...(emailState === undefined
      ? {}
      : {
          email: {
            state: emailState,
            claimedAt: text(row, 'emailClaimedAt') ?? '',
            attempts: Number(row.emailAttempts ?? 0),
            ...(messageId === undefined ? {} : { messageId }),
            ...(sentAt === undefined ? {} : { sentAt }),
          },
        }),
    ...(listOutcome === undefined
      ? {}
      : { mailingList: { outcome: listOutcome, detail: text(row, 'mailingListDetail') ?? '', at: text(row, 'mailingListAt') ?? '' } }),
    ...(concluded === undefined
      ? {}
      : {
          conclusion: {
            status: concluded,
            at: text(row, 'concludedAt') ?? '',
            parked: JSON.parse(text(row, 'parkedBranches') ?? '[]') as string[],
          },
        }),
  };
}

/**
 * The `confirmations` table: one row per confirmation (PartitionKey = confirmation id). Each branch
 * merges its own columns, so branches running side by side never overwrite each other.
 */
export class ConfirmationTable implements ConfirmationsPort {
  private readonly table: OpenedTable;

  constructor(connectionString: string) {
    this.table = openTable(connectionString, TableNames.CONFIRMATIONS);
  }

  async read(confirmationId: string): Promise<StoredConfirmation | undefined> {
    await this.table.ready();
    try {
      const row = await this.table.client.getEntity<Row>(confirmationId, '');
      return { record: recordOf(confirmationId, row), etag: row.etag };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  private async merge(confirmationId: string, columns: Record<string, string | number>): Promise<void> {
    await this.table.ready();
    await this.table.client.upsertEntity({ partitionKey: confirmationId, rowKey: '', ...columns }, 'Merge');
  }

  async save(confirmationId: string, request: ConfirmationRequest, at: string): Promise<void> {
    await this.merge(confirmationId, {
      kind: request.kind,
      subjectId: request.subjectId,
      reference: request.reference,
      customerEmail: request.customer.email,
      customerName: `${request.customer.givenName} ${request.customer.familyName}`,
      request: asciiJson(JSON.stringify(request)),
      savedAt: at,
    });
  }

  async claimEmail(confirmationId: string, email: EmailRecord, etag: string | undefined): Promise<boolean> {
    await this.table.ready();
    const entity = { partitionKey: confirmationId, rowKey: '', ...emailColumns(email) };
    try {
      if (etag === undefined) await this.table.client.createEntity(entity);
      else await this.table.client.updateEntity(entity, 'Merge', { etag });
      return true;
    } catch (error) {
      if (error instanceof RestError && (error.statusCode === 409 || error.statusCode === 412)) return false;
      throw error;
    }
  }

  async recordEmail(confirmationId: string, email: EmailRecord): Promise<void> {
    await this.merge(confirmationId, emailColumns(email));
  }

  async recordMailingList(confirmationId: string, outcome: NonNullable<ConfirmationRecord['mailingList']>): Promise<void> {
    await this.merge(confirmationId, { mailingListOutcome: outcome.outcome, mailingListDetail: outcome.detail, mailingListAt: outcome.at });
  }

  async recordConclusion(confirmationId: string, conclusion: NonNullable<ConfirmationRecord['conclusion']>): Promise<void> {
    await this.merge(confirmationId, {
      conclusion: conclusion.status,
      concludedAt: conclusion.at,
      parkedBranches: JSON.stringify(conclusion.parked),
    });
  }
}
