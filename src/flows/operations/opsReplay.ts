import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { hubServices } from '../../composition/hubServices';
import { describeIssues } from '../../domain/validate';
import { dryRunReplay, dryRunSummary, replaySelectionSchema, selectParked } from './dryRunReplay';

const requestSchema = z.looseObject({
  dryRun: z.literal(true, 'only a dry run is taken here for now: replay with npx hub parked replay'),
});

/**
 * POST /api/ops/failures/replay `{ "dryRun": true, "group": "<key>" | "entries": [...] | "orderIds": [...] }`:
 * what a replay would do, per entry, with the mappings in force; nothing is sent.
 */
export async function opsReplay(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return { status: 400, jsonBody: { error: 'the body is not JSON' } };
  }
  const parsed = requestSchema.safeParse(body);
  if (!parsed.success) return { status: 400, jsonBody: { error: 'not a replay request', details: describeIssues(parsed.error) } };
  const { dryRun: _dryRun, ...rest } = parsed.data;
  const selection = replaySelectionSchema.safeParse(rest);
  if (!selection.success)
    return { status: 400, jsonBody: { error: 'name a group, entries or orderIds', details: describeIssues(selection.error) } };
  const operations = hubServices().operations;
  const results = dryRunReplay(selectParked(await operations.parked.list(), selection.data), operations);
  const summary = dryRunSummary(results);
  context.info(`replay dry run: ${results.length} entries, ${summary.wouldPass} would pass, ${summary.wouldFail} would fail`);
  return { status: 200, jsonBody: { dryRun: true, entries: results.length, summary, results } };
}

app.http('opsReplay', { methods: ['POST'], authLevel: 'function', route: 'ops/failures/replay', handler: opsReplay });
