import { TableClient } from '@azure/data-tables';
import { ParkedTable } from '../../src/adapters/tables/ParkedTable';
import { ParkedSources, type ParkedMessage } from '../../src/ports/ParkedMessagesPort';
import { TaskHubStore } from '../runtime/durable/TaskHubStore';
import { readHostConfig } from '../runtime/hostConfig';
import type { LocalStack } from './LocalStack';
import { PROJECT_ROOT } from './localSettings';
import path from 'node:path';

export interface ConfirmationSummary {
  /** Confirmation instances expected, and how many have finished. */
  expected: number;
  finished: number;
  /** Finished instances by their output's status (confirmed, needsAttention) or runtime status when they failed. */
  outcomes: Record<string, number>;
  /** Rows of the confirmations table with what was confirmed saved. */
  saved: number;
  /** Mails the sink took for these confirmations, and the most any one of them got. */
  mails: number;
  mostMailsForOne: number;
  /** Confirmation branches parked for an operator. */
  parked: ParkedMessage[];
  /** What the mailing-list branch did, by outcome (subscribed, skipped, refused), with the addresses. */
  mailingList: Record<string, string[]>;
  /** Instance created → finished, per confirmation. */
  latencyMs: { p50: number; p95: number };
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;

/**
 * Waits until the confirmation of each id has finished (its orchestration completed or failed), and
 * counts what the customers got: saved rows, mails per confirmation, parked branches.
 */
export async function waitForConfirmations(
  stack: LocalStack,
  confirmationIds: readonly string[],
  options: { timeoutMs: number; onProgress?: (line: string) => void },
): Promise<ConfirmationSummary> {
  const hubName = readHostConfig(path.join(PROJECT_ROOT, 'host.json')).extensions.durableTask.hubName;
  const store = new TaskHubStore(stack.azurite.connectionString, hubName);
  const wanted = new Set(confirmationIds);
  const deadline = Date.now() + options.timeoutMs;
  let finished = [] as Awaited<ReturnType<TaskHubStore['list']>>;
  let lastReport = 0;
  for (;;) {
    const all = await store.list().catch(() => []);
    finished = all.filter(
      (r) =>
        wanted.has(r.instanceId) && (r.runtimeStatus === 'Completed' || r.runtimeStatus === 'Failed' || r.runtimeStatus === 'Terminated'),
    );
    if (finished.length >= wanted.size || Date.now() > deadline) break;
    if (options.onProgress !== undefined && Date.now() - lastReport > 2000) {
      lastReport = Date.now();
      options.onProgress(`${finished.length}/${wanted.size} confirmations finished`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const outcomes: Record<string, number> = {};
  for (const record of finished) {
    const status =
      record.runtimeStatus === 'Completed'
        ? ((JSON.parse(record.output ?? 'null') as { status?: string } | null)?.status ?? 'completed')
        : record.runtimeStatus;
    outcomes[status] = (outcomes[status] ?? 0) + 1;
  }
  const table = TableClient.fromConnectionString(stack.azurite.connectionString, 'confirmations', { allowInsecureConnection: true });
  let saved = 0;
  const mailingList: Record<string, string[]> = {};
  for await (const row of table.listEntities<{ savedAt?: string; mailingListOutcome?: string; customerEmail?: string }>()) {
    if (!wanted.has(String(row.partitionKey))) continue;
    if (row.savedAt !== undefined) saved++;
    if (row.mailingListOutcome !== undefined) (mailingList[row.mailingListOutcome] ??= []).push(row.customerEmail ?? '');
  }
  const mailsPer = new Map<string, number>();
  for (const mail of stack.mail.mails) {
    const id = mail.customArgs.confirmationId;
    if (id !== undefined && wanted.has(id)) mailsPer.set(id, (mailsPer.get(id) ?? 0) + 1);
  }
  const parked = (await new ParkedTable(stack.azurite.connectionString).list()).filter((p) => p.source === ParkedSources.CONFIRMATIONS);
  const latencies = finished.map((r) => Date.parse(r.lastUpdatedTime) - Date.parse(r.createdTime)).sort((a, b) => a - b);
  return {
    expected: wanted.size,
    finished: finished.length,
    outcomes,
    saved,
    mails: [...mailsPer.values()].reduce((a, b) => a + b, 0),
    mostMailsForOne: Math.max(0, ...mailsPer.values()),
    parked,
    mailingList,
    latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95) },
  };
}
