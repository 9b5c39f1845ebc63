import { ConfirmationKinds, type ConfirmationKind } from '../../domain/confirmation';
import type { TraceSubject } from '../../telemetry/orderTrace';

/** Whose trace a confirmation is in: its order's, or its registration's. */
export function confirmationSubject(kind: ConfirmationKind, subjectId: string): TraceSubject {
  return kind === ConfirmationKinds.REGISTRATION ? { registrationId: subjectId } : { orderId: subjectId };
}

/** The subject of a message on `confirmations` (its session is the order or registration), read without trusting the body's shape. */
export function subjectOfConfirmationMessage(body: unknown, sessionId: string): TraceSubject {
  const kind = (body as { request?: { kind?: unknown } } | null)?.request?.kind;
  return confirmationSubject(kind === ConfirmationKinds.REGISTRATION ? ConfirmationKinds.REGISTRATION : ConfirmationKinds.ORDER, sessionId);
}
