import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { hubServices } from '../../composition/hubServices';
import { dryRunReplay, dryRunSummary, selectParked } from './dryRunReplay';
import { readSelectionRequest } from './selectionRequest';

const requestSchema = z.looseObject({
  dryRun: z.literal(true, 'only a dry run is taken here for now: replay with npx hub parked replay'),
});

/**
 * POST /api/ops/failures/replay `{ "dryRun": true, "group": "<key>" | "entries": [...] | "orderIds": [...] }`:
 * what a replay would do, per entry, with the mappings in force; nothing is sent.
 */
export async function opsReplay(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const read = await readSelectionRequest(request, 'a replay request', requestSchema, ['dryRun']);
  if ('refused' in read) return read.refused;
  const operations = hubServices().operations;
  const results = dryRunReplay(selectParked(await operations.parked.list(), read.selection), operations);
  const summary = dryRunSummary(results);
  context.info(`replay dry run: ${results.length} entries, ${summary.wouldPass} would pass, ${summary.wouldFail} would fail`);
  return { status: 200, jsonBody: { dryRun: true, entries: results.length, summary, results } };
}

app.http('opsReplay', { methods: ['POST'], authLevel: 'function', route: 'ops/failures/replay', handler: opsReplay });
