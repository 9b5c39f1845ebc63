import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { hubServices } from '../../composition/hubServices';

/** GET /api/ops/stock/runs?limit=: the latest delta syncs and full reconciliations, newest first. */
export async function opsStockRuns(request: HttpRequest): Promise<HttpResponseInit> {
  const given = request.query.get('limit') ?? '20';
  const limit = Number(given);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200)
    return { status: 400, jsonBody: { error: 'not a valid runs query', details: [`limit: a whole number from 1 to 200, not '${given}'`] } };
  return { status: 200, jsonBody: { runs: await hubServices().stock.state.runs(limit) } };
}

/** GET /api/ops/stock/runs/{runId}: one run, with its counts, progress and refused rows. */
export async function opsStockRun(request: HttpRequest): Promise<HttpResponseInit> {
  const runId = request.params.runId ?? '';
  const run = await hubServices().stock.state.run(runId);
  return run === undefined ? { status: 404, jsonBody: { error: `no stock run ${runId}` } } : { status: 200, jsonBody: run };
}

app.http('opsStockRuns', { methods: ['GET'], authLevel: 'function', route: 'ops/stock/runs', handler: opsStockRuns });
app.http('opsStockRun', { methods: ['GET'], authLevel: 'function', route: 'ops/stock/runs/{runId}', handler: opsStockRun });
