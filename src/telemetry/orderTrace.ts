import { createHash } from 'node:crypto';
import {
  context,
  createContextKey,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
  type Link,
} from '@opentelemetry/api';
import { HubError } from '../domain/HubError';

/**
 * One trace per order. Every span the hub makes for an order is in the order's own trace, whose
 * id is derived from the order id: the Event Grid delivery, the integrator, the ERP call, the
 * confirmations, and the ERP's callbacks hours later, which arrive in the ERP's own request and
 * would otherwise start a trace of their own. An operator finds the whole of an order's story in
 * Application Insights under one operation id (`orderTraceId`), and sampling keeps or drops an
 * order whole. Within the trace, the hub's messages carry the W3C trace context (`traceparent`
 * and, for Service Bus, `Diagnostic-Id`), so each step is the child of the one that sent it; the
 * host's own span of an invocation (the Event Grid delivery, the ERP's request) is linked.
 *
 * This file uses the OpenTelemetry API only: with no SDK started (no Application Insights or OTLP
 * endpoint configured) every call here is a no-op.
 */

/** The attribute every span and log record of an order carries. */
export const ORDER_ID_ATTRIBUTE = 'order.id';
/** A registration's spans carry its id instead (a registration has no order). */
export const REGISTRATION_ID_ATTRIBUTE = 'registration.id';

/** Whose trace a span is in: an order, or a registration taken by the payment intake. */
export type TraceSubject = { orderId: string } | { registrationId: string };

const SUBJECT_KEY = createContextKey('order-hub.subject');

/** The subject of the active (or a given) context: what the processors stamp on spans and log records. */
export function subjectOf(ctx: Context = context.active()): TraceSubject | undefined {
  return ctx.getValue(SUBJECT_KEY) as TraceSubject | undefined;
}

export function subjectAttributes(subject: TraceSubject): Attributes {
  return 'orderId' in subject ? { [ORDER_ID_ATTRIBUTE]: subject.orderId } : { [REGISTRATION_ID_ATTRIBUTE]: subject.registrationId };
}

function subjectHash(subject: TraceSubject): string {
  const name = 'orderId' in subject ? `order/${subject.orderId}` : `registration/${subject.registrationId}`;
  return createHash('sha256').update(`order-hub/${name}`).digest('hex');
}

/** The trace id of an order's (or registration's) trace: what to search Application Insights for. */
export function orderTraceId(subject: TraceSubject): string {
  return subjectHash(subject).slice(0, 32);
}

/** The root of the subject's trace: a span context no span is exported for, the parent of first steps. */
export function subjectRootContext(subject: TraceSubject): Context {
  const hash = subjectHash(subject);
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: hash.slice(0, 32),
    spanId: hash.slice(32, 48),
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
  });
}

/** W3C trace context as message properties. */
export type TraceCarrier = Record<string, string>;

/** The Service Bus name for `traceparent` (what its SDKs and the Functions host read). */
export const DIAGNOSTIC_ID = 'Diagnostic-Id';

/** The trace context of the active span, to go with a message: `traceparent`, `tracestate` and `Diagnostic-Id`. */
export function traceCarrierOf(ctx: Context = context.active()): TraceCarrier {
  const carrier: TraceCarrier = {};
  propagation.inject(ctx, carrier);
  if (carrier.traceparent !== undefined) carrier[DIAGNOSTIC_ID] = carrier.traceparent;
  return carrier;
}

/** The trace context a message came with (`traceparent`, or Service Bus's `Diagnostic-Id`), if it holds a valid one. */
export function traceContextFrom(properties: Record<string, unknown> | undefined): Context | undefined {
  const traceparent = properties?.traceparent ?? properties?.[DIAGNOSTIC_ID];
  if (typeof traceparent !== 'string') return undefined;
  const tracestate = properties?.tracestate;
  const extracted = propagation.extract(ROOT_CONTEXT, { traceparent, ...(typeof tracestate === 'string' ? { tracestate } : {}) });
  return trace.getSpanContext(extracted) === undefined ? undefined : extracted;
}

export interface StepSpan {
  kind?: SpanKind;
  subject?: TraceSubject;
  /**
   * Where the step comes from: the message that carried it (undefined: none came with it); the
   * active step when left out. A parent outside the subject's trace is linked instead, and the
   * step hangs from the subject's root.
   */
  parent?: Context | undefined;
  /** Other contexts to link: the host's span of the invocation. */
  links?: readonly (Context | undefined)[];
  attributes?: Attributes;
}

/** What a failed step's span says: the hub's code, never a message that might hold personal data. */
function failureOf(error: unknown): { code: string; type: string } {
  if (HubError.isHubError(error)) return { code: error.code, type: 'HubError' };
  return { code: 'UNEXPECTED', type: error instanceof Error ? error.name : typeof error };
}

/** Runs one step of the hub in a span of its subject's trace; its messages and calls are the span's children. */
export async function inStep<T>(name: string, step: StepSpan, work: () => Promise<T>): Promise<T> {
  const subject = step.subject ?? subjectOf();
  let parent = 'parent' in step ? step.parent : context.active();
  const links: Link[] = [];
  for (const linked of step.links ?? []) {
    const spanContext = linked === undefined ? undefined : trace.getSpanContext(linked);
    if (spanContext !== undefined) links.push({ context: spanContext });
  }
  if (subject !== undefined) {
    const root = subjectRootContext(subject);
    const parentSpan = parent === undefined ? undefined : trace.getSpanContext(parent);
    if (parentSpan?.traceId !== trace.getSpanContext(root)?.traceId) {
      if (parentSpan !== undefined) links.push({ context: parentSpan });
      parent = root;
    }
    parent = (parent ?? root).setValue(SUBJECT_KEY, subject);
  }
  const base = parent ?? context.active();
  const span = trace.getTracer('order-hub').startSpan(
    name,
    {
      kind: step.kind ?? SpanKind.INTERNAL,
      attributes: { ...step.attributes, ...(subject === undefined ? {} : subjectAttributes(subject)) },
      links,
    },
    base,
  );
  try {
    return await context.with(trace.setSpan(base, span), work);
  } catch (error) {
    const failure = failureOf(error);
    span.setAttributes({ 'hub.error.code': failure.code, 'error.type': failure.type });
    span.setStatus({ code: SpanStatusCode.ERROR, message: failure.code });
    throw error;
  } finally {
    span.end();
  }
}

/** Runs `work` (a log line, say) as part of the subject's story: its log records carry the subject's id. */
export function withSubject<T>(subject: TraceSubject, work: () => T): T {
  return context.with(context.active().setValue(SUBJECT_KEY, subject), work);
}

export { SpanKind };
