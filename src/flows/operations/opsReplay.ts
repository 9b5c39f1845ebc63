import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { z } from 'zod';
import { hubServices } from '../../composition/hubServices';
import { dryRunReplay, dryRunSummary, selectParked } from './dryRunReplay';
import { DurableReplayJobs } from '../../adapters/durable/DurableReplayJobs';
import { operatorOf } from './operatorOf';
import { REPLAY_RATE } from '../../domain/replayJob';
import { readSelectionRequest } from './selectionRequest';
import { startReplay } from './startReplay';

const clientInput = df.input.durableClient();

const requestSchema = z.looseObject({
  dryRun: z.boolean('say dryRun: true to see what a replay would do, dryRun: false to replay'),
  rate: z.number().int().min(REPLAY_RATE.min).max(REPLAY_RATE.max).default(REPLAY_RATE.default),
  by: z.string().trim().min(1).max(100).optional(),
});

/**
 * POST /api/ops/failures/replay `{ "dryRun": true | false, "rate"?: n, "group": "<key>" | "entries": [...] | "orderIds": [...] }`.
 * A dry run says, per entry, what a replay would do with the mappings in force, sending nothing.
 * A replay starts a job (202) that replays the entries at `rate` per second (default 10), each
 * checked against the mappings in force first; follow it at /api/ops/replays/{jobId}.
 */
export async function opsReplay(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const read = await readSelectionRequest(request, 'a replay request', requestSchema, ['dryRun', 'rate', 'by']);
  if ('refused' in read) return read.refused;
  const services = hubServices();
  const operations = services.operations;
  if (read.fields.dryRun) {
    const results = dryRunReplay(selectParked(await operations.parked.list(), read.selection), operations);
    const summary = dryRunSummary(results);
    context.info(`replay dry run: ${results.length} entries, ${summary.wouldPass} would pass, ${summary.wouldFail} would fail`);
    return { status: 200, jsonBody: { dryRun: true, entries: results.length, summary, results } };
  }
  const by = operatorOf(request, read.fields.by);
  const started = await startReplay(
    read.selection,
    { rate: read.fields.rate, by },
    { parked: operations.parked, jobs: new DurableReplayJobs(df.getClient(context), hubServices().replayJobIds), now: () => new Date() },
  );
  if (!started.started) return { status: 400, jsonBody: { error: started.reason } };
  context.info(`replay job ${started.jobId}: ${started.entries} entries at ${started.rate}/s by ${by}`);
  return {
    status: 202,
    headers: { location: `/api/ops/replays/${started.jobId}` },
    jsonBody: { dryRun: false, ...started, by, status: `/api/ops/replays/${started.jobId}` },
  };
}

app.http('opsReplay', {
  methods: ['POST'],
  authLevel: 'function',
  route: 'ops/failures/replay',
  extraInputs: [clientInput],
  handler: opsReplay,
});
