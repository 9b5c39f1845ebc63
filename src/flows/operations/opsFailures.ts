import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { hubServices } from '../../composition/hubServices';
import { describeIssues } from '../../domain/validate';
import { failureGroups, failureQuerySchema } from './failureGroups';

/** GET /api/ops/failures?from=&to=&cursor=&limit=: parked entries grouped by code (and mapping version), paged. */
export async function opsFailures(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  // `code` is the function key, which the host reads and passes on.
  const { code: _key, ...given } = Object.fromEntries(request.query.entries());
  const query = failureQuerySchema.safeParse(given);
  if (!query.success) return { status: 400, jsonBody: { error: 'not a valid failures query', details: describeIssues(query.error) } };
  const page = await failureGroups(hubServices().operations.parked, query.data);
  context.info(`failures: ${page.totalEntries} parked in ${page.totalGroups} groups`);
  return { status: 200, jsonBody: page };
}

app.http('opsFailures', { methods: ['GET'], authLevel: 'function', route: 'ops/failures', handler: opsFailures });
