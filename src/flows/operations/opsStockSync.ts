import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { z } from 'zod';
import { hubServices } from '../../composition/hubServices';
import { describeStockRun } from '../../domain/stockRun';
import { deltaSync } from '../inventory/deltaSync';
import { startFullSync, startingWith } from '../inventory/startFullSync';
import { readBody } from './selectionRequest';

const clientInput = df.input.durableClient();

const syncSchema = z.strictObject({
  full: z.boolean('full: true for a full reconciliation, false (or left out) for a delta sync').default(false),
});

/**
 * POST /api/ops/stock/sync `{ "full"?: boolean }`: a delta sync now (200, the run), or a full
 * reconciliation started (202, follow it at /api/ops/stock/runs/{runId}; 409 when one is under way).
 */
export async function opsStockSync(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const read = await readBody(request, 'sync request', syncSchema);
  if ('refused' in read) return read.refused;
  const stock = hubServices().stock;
  if (!read.body.full) {
    const run = await deltaSync(stock);
    context.info(describeStockRun(run));
    return { status: 200, jsonBody: run };
  }
  const outcome = await startFullSync({ state: stock.state, now: stock.now, start: startingWith(df.getClient(context)) });
  if ('running' in outcome)
    return { status: 409, jsonBody: { error: `a full reconciliation is under way: ${outcome.running.runId}`, run: outcome.running } };
  context.info(`full stock reconciliation ${outcome.started.runId} started`);
  const status = `/api/ops/stock/runs/${outcome.started.runId}`;
  return { status: 202, headers: { location: status }, jsonBody: { ...outcome.started, status } };
}

app.http('opsStockSync', {
  methods: ['POST'],
  authLevel: 'function',
  route: 'ops/stock/sync',
  extraInputs: [clientInput],
  handler: opsStockSync,
});
