import { context } from '@opentelemetry/api';
import { inStep, SpanKind, traceContextFrom } from '../../telemetry/orderTrace';
import type { BranchInput } from './confirmationBranches';
import { confirmationSubject } from './confirmationSubject';

/**
 * One activity of a confirmation as a span of its order's (or registration's) trace, the child of
 * the starter's span whose context the orchestration handed on, linked to the host's span of the
 * activity. The orchestration itself has no span: it replays.
 */
export async function activityStep<T>(input: BranchInput, functionName: string, work: () => Promise<T>): Promise<T> {
  return await inStep(
    functionName,
    {
      kind: SpanKind.INTERNAL,
      subject: confirmationSubject(input.request.kind, input.request.subjectId),
      parent: traceContextFrom(input.trace),
      links: [context.active()],
      attributes: { 'hub.confirmation.id': input.confirmationId },
    },
    work,
  );
}
