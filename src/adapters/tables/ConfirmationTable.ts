import type { ConfirmationRequest } from '../../domain/confirmation';
import type { ConfirmationRecord, ConfirmationsPort, EmailRecord, StoredConfirmation } from '../../ports/ConfirmationsPort';
import { asciiJson, dataTablesSdk, openTable, TableNames, type OpenedTable } from './openTable';
import { restErrorStatus } from '../restErrorStatus';
import type { StorageAccount } from '../storageAccount';

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

/** The row of a confirmation's partition that holds its mail: claimed and recorded apart from the rest. */
const EMAIL_ROW = 'email';

/**
 * The `confirmations` table: one partition per confirmation (PartitionKey = confirmation id). Its
 * row '' holds what was confirmed, the mailing list's answer and the conclusion, each branch merging
 * its own columns, so branches running side by side never overwrite each other; the mail's claim is
 * in a row of its own (`email`), so that the conditional claim never meets another branch's write.
 */
export class ConfirmationTable implements ConfirmationsPort {
  private readonly table: OpenedTable;

  constructor(account: StorageAccount) {
    this.table = openTable(account, TableNames.CONFIRMATIONS);
  }

  async read(confirmationId: string): Promise<StoredConfirmation | undefined> {
    const client = await this.table.client();
    const { odata } = await dataTablesSdk();
    const rows: Row[] = [];
    for await (const row of client.listEntities<Row>({ queryOptions: { filter: odata`PartitionKey eq ${confirmationId}` } }))
      rows.push(row);
    if (rows.length === 0) return undefined;
    const email = rows.find((r) => r.rowKey === EMAIL_ROW);
    const merged = Object.assign({}, ...rows.filter((r) => r.rowKey !== EMAIL_ROW), email) as Row;
    return { record: recordOf(confirmationId, merged), ...(email === undefined ? {} : { etag: email.etag }) };
  }

  private async merge(confirmationId: string, columns: Record<string, string | number>, rowKey = ''): Promise<void> {
    const client = await this.table.client();
    await client.upsertEntity({ partitionKey: confirmationId, rowKey, ...columns }, 'Merge');
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
    const client = await this.table.client();
    const entity = { partitionKey: confirmationId, rowKey: EMAIL_ROW, ...emailColumns(email) };
    try {
      if (etag === undefined) await client.createEntity(entity);
      else await client.updateEntity(entity, 'Merge', { etag });
      return true;
    } catch (error) {
      if ([409, 412].includes(restErrorStatus(error) ?? 0)) return false;
      throw error;
    }
  }

  async recordEmail(confirmationId: string, email: EmailRecord): Promise<void> {
    await this.merge(confirmationId, emailColumns(email), EMAIL_ROW);
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
