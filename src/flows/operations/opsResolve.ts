import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { hubServices } from '../../composition/hubServices';
import { JourneyRecorder } from '../shared/JourneyRecorder';
import { decisionSchema, resolveParked } from './resolveParked';
import { operatorOf } from './operatorOf';
import { readSelectionRequest } from './selectionRequest';

/**
 * POST /api/ops/failures/resolve `{ "action": "resolve" | "dismiss" | "restore", "reason": "...",
 * "group" | "entries" | "orderIds" }`: an operator's decision on parked entries, kept and
 * restorable, with who decided (`operatorOf`).
 */
export async function opsResolve(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const read = await readSelectionRequest(request, 'a decision', decisionSchema, ['action', 'reason', 'by']);
  if ('refused' in read) return read.refused;
  const { action, reason, by } = read.fields;
  const services = hubServices();
  const who = operatorOf(request, by);
  const results = await resolveParked(
    read.selection,
    { action, reason, by: who },
    { parked: services.operations.parked, inFlight: services.stock.inFlight, now: () => new Date() },
    new JourneyRecorder(services.journeys, context.functionName),
  );
  context.info(`${action}: ${results.length} parked entries by ${who}`);
  return { status: 200, jsonBody: { action, by: who, changed: results.filter((r) => r.outcome !== 'gone').length, results } };
}

app.http('opsResolve', { methods: ['POST'], authLevel: 'function', route: 'ops/failures/resolve', handler: opsResolve });
