import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { hubServices } from '../../composition/hubServices';
import { stockRunsQuerySchema } from '../inventory/stockRuns';
import { readQuery } from './selectionRequest';

/** GET /api/ops/stock/runs?limit=: the latest delta syncs and full reconciliations, newest first. */
export async function opsStockRuns(request: HttpRequest): Promise<HttpResponseInit> {
  const read = readQuery(request, 'runs query', stockRunsQuerySchema);
  if ('refused' in read) return read.refused;
  return { status: 200, jsonBody: { runs: await hubServices().stock.state.runs(read.query.limit) } };
}

/** GET /api/ops/stock/runs/{runId}: one run, with its counts, progress and refused rows. */
export async function opsStockRun(request: HttpRequest): Promise<HttpResponseInit> {
  const runId = request.params.runId ?? '';
  const run = await hubServices().stock.state.run(runId);
  return run === undefined ? { status: 404, jsonBody: { error: `no stock run ${runId}` } } : { status: 200, jsonBody: run };
}

app.http('opsStockRuns', { methods: ['GET'], authLevel: 'function', route: 'ops/stock/runs', handler: opsStockRuns });
app.http('opsStockRun', { methods: ['GET'], authLevel: 'function', route: 'ops/stock/runs/{runId}', handler: opsStockRun });
