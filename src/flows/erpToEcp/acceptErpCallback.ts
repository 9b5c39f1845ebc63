import { QueueNames, MessageProperties } from '../../config/queues';
import type { CanonicalUpdate } from '../../domain/canonicalUpdate';
import { HubError } from '../../domain/HubError';
import { describeIssues } from '../../domain/validate';
import type { CompiledMapping } from '../../mapping/compileMapping';
import { mappingLabel, runMapping } from '../../mapping/runMapping';
import { verifyCallback } from '../../platforms/erp/callbackSignature';
import { erpCallbackSchema } from '../../platforms/erp/erpCallback';
import type { CallbackReplayGuardPort } from '../../ports/CallbackReplayGuardPort';
import { JourneyOutcomes } from '../../ports/JourneyPort';
import type { QueueSenderPort } from '../../ports/QueueSenderPort';
import type { JourneyRecorder } from '../shared/JourneyRecorder';

export interface AcceptErpCallbackDeps {
  secrets: readonly string[];
  replayGuard: CallbackReplayGuardPort;
  /** erp-callback-to-canonical-update */
  mapping: CompiledMapping;
  sender: QueueSenderPort;
  now: () => Date;
}

/** What the ERP is answered: 202 once the update is queued; 401 and 400 with the reason. */
export type CallbackAnswer =
  | { status: 202; updateId: string; orderId: string }
  | { status: 401; reason: string }
  | { status: 400 | 422; reason: string; details: readonly string[] };

/**
 * A signed status callback of the ERP: verified (signature, timestamp, not seen before), read,
 * mapped to a canonical update and queued on `erp-updates` for its order, or refused with the
 * reason. Nothing is queued unless all of it holds.
 */
export async function acceptErpCallback(
  rawBody: Buffer,
  headers: { signature: string | null; timestamp: string | null },
  deps: AcceptErpCallbackDeps,
  journeys: JourneyRecorder,
): Promise<CallbackAnswer> {
  const now = deps.now();
  const check = verifyCallback(rawBody, headers, deps.secrets, now);
  if (!check.ok) return { status: 401, reason: check.reason };

  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return { status: 400, reason: 'the body is not JSON', details: [] };
  }
  const parsed = erpCallbackSchema.safeParse(json);
  if (!parsed.success) {
    const details = describeIssues(parsed.error);
    return { status: 400, reason: `the callback fails its schema: ${details.slice(0, 5).join('; ')}`, details };
  }
  const callback = parsed.data;
  let update: CanonicalUpdate;
  try {
    update = runMapping<CanonicalUpdate>(deps.mapping, callback);
  } catch (error) {
    if (!HubError.isHubError(error)) throw error;
    // The ERP keeps what it could not deliver and sends it again once the mapping is fixed.
    return { status: 422, reason: error.message, details: error.details };
  }

  // Only now, for a callback that is whole and new, remember its signature.
  const signedAt = new Date(Number(headers.timestamp) * 1000);
  if (!(await deps.replayGuard.firstSighting(check.signature, signedAt))) {
    return { status: 401, reason: 'this signed callback was received before (a replay)' };
  }
  await deps.sender.send(QueueNames.ERP_UPDATES, {
    body: update,
    messageId: update.updateId,
    sessionId: update.orderId,
    correlationId: callback.callbackId,
    applicationProperties: { [MessageProperties.ATTEMPT]: 1, kind: update.kind },
  });
  await journeys.of({ orderId: update.orderId, attempt: 1, correlationId: callback.callbackId, mappings: mappingLabel(deps.mapping) })({
    step: 'callback',
    outcome: JourneyOutcomes.OK,
    detail: `${callback.event} queued on ${QueueNames.ERP_UPDATES} as ${update.kind}`,
    ...(update.erpOrderId === undefined ? {} : { erpOrderId: update.erpOrderId }),
  });
  return { status: 202, updateId: update.updateId, orderId: update.orderId };
}
