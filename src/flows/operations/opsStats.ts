import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { hubServices } from '../../composition/hubServices';
import { readQuery } from './selectionRequest';
import { orderStats, statsQuerySchema } from './orderStats';

/** GET /api/ops/stats?from=&to=: orders per state, throughput per hour, placed → ERP p50/p95, parked per code, dead-letter depths. */
export async function opsStats(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const read = readQuery(request, 'stats query', statsQuerySchema);
  if ('refused' in read) return read.refused;
  const stats = await orderStats(read.query, hubServices().operations);
  context.info(`stats ${stats.range.from} … ${stats.range.to}`);
  return { status: 200, jsonBody: stats };
}

app.http('opsStats', { methods: ['GET'], authLevel: 'function', route: 'ops/stats', handler: opsStats });
