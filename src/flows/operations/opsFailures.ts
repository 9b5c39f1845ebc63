import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { hubServices } from '../../composition/hubServices';
import { readQuery } from './selectionRequest';
import { failureGroups, failureQuerySchema } from './failureGroups';

/** GET /api/ops/failures?from=&to=&cursor=&limit=: parked entries grouped by code (and mapping version), paged. */
export async function opsFailures(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const read = readQuery(request, 'failures query', failureQuerySchema);
  if ('refused' in read) return read.refused;
  const page = await failureGroups(hubServices().operations.parked, read.query);
  context.info(`failures: ${page.totalEntries} parked in ${page.totalGroups} groups`);
  return { status: 200, jsonBody: page };
}

app.http('opsFailures', { methods: ['GET'], authLevel: 'function', route: 'ops/failures', handler: opsFailures });
