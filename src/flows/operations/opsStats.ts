import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { hubServices } from '../../composition/hubServices';
import { describeIssues } from '../../domain/validate';
import { orderStats, statsQuerySchema } from './orderStats';

/** GET /api/ops/stats?from=&to=: orders per state, throughput per hour, placed → ERP p50/p95, parked per code, dead-letter depths. */
export async function opsStats(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const { code: _key, ...given } = Object.fromEntries(request.query.entries());
  const query = statsQuerySchema.safeParse(given);
  if (!query.success) return { status: 400, jsonBody: { error: 'not a valid stats query', details: describeIssues(query.error) } };
  const stats = await orderStats(query.data, hubServices().operations);
  context.info(`stats ${stats.range.from} … ${stats.range.to}`);
  return { status: 200, jsonBody: stats };
}

app.http('opsStats', { methods: ['GET'], authLevel: 'function', route: 'ops/stats', handler: opsStats });
