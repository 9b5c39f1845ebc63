import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { hubServices } from '../../composition/hubServices';

/** GET /api/ops/reconciler/runs?limit=: the reconciler's latest runs, newest first, each with what it found and did. */
export async function opsReconcilerRuns(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const given = request.query.get('limit') ?? '20';
  const limit = Number(given);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200)
    return { status: 400, jsonBody: { error: 'not a valid runs query', details: [`limit: a whole number from 1 to 200, not '${given}'`] } };
  const runs = await hubServices().reconcile.runs.latest(limit);
  context.info(`reconciler runs: ${runs.length}`);
  return { status: 200, jsonBody: { runs } };
}

app.http('opsReconcilerRuns', { methods: ['GET'], authLevel: 'function', route: 'ops/reconciler/runs', handler: opsReconcilerRuns });
