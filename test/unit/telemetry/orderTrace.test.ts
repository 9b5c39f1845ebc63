import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { createRestClient } from '../../../src/adapters/http/createRestClient';
import { HubError } from '../../../src/domain/HubError';
import { ErrorCodes } from '../../../src/domain/errorCodes';
import { hubMessageOf } from '../../../src/flows/shared/hubMessage';
import { deliveryStep, requestStep } from '../../../src/flows/shared/tracedSteps';
import type { OutgoingMessage, QueueSenderPort } from '../../../src/ports/QueueSenderPort';
import {
  DIAGNOSTIC_ID,
  inStep,
  orderTraceId,
  subjectRootContext,
  traceCarrierOf,
  traceContextFrom,
  withSubject,
} from '../../../src/telemetry/orderTrace';
import { TracedQueueSender } from '../../../src/telemetry/TracedQueueSender';
import { startMemoryTelemetry } from '../../support/memoryTelemetry';

class RecordingSender implements QueueSenderPort {
  readonly sent: { queueName: string; message: OutgoingMessage }[] = [];
  send(queueName: string, message: OutgoingMessage): Promise<void> {
    this.sent.push({ queueName, message });
    return Promise.resolve();
  }
}

describe('without a telemetry SDK', () => {
  it('steps run, and messages carry no trace context (nothing is loaded, nothing is recorded)', async () => {
    expect(await inStep('step', { subject: { orderId: 'o-1' } }, () => Promise.resolve(traceCarrierOf()))).toEqual({});
  });
});

describe("an order's trace", () => {
  let telemetry: ReturnType<typeof startMemoryTelemetry>;
  beforeAll(() => (telemetry = startMemoryTelemetry()));
  afterEach(() => {
    telemetry.spans.reset();
    telemetry.logRecords.reset();
  });
  afterAll(() => telemetry.stop());

  const rootSpanId = (orderId: string) => trace.getSpanContext(subjectRootContext({ orderId }))?.spanId;

  it("is the order's own: a first step hangs from the order's root and carries the order id", async () => {
    await inStep('orderEventsProcessor', { subject: { orderId: 'o-1' }, parent: undefined }, () => Promise.resolve());
    const [span] = telemetry.spans.getFinishedSpans();
    expect(span?.spanContext().traceId).toBe(orderTraceId({ orderId: 'o-1' }));
    expect(span?.parentSpanContext?.spanId).toBe(rootSpanId('o-1'));
    expect(span?.attributes['order.id']).toBe('o-1');
    expect(orderTraceId({ orderId: 'o-1' })).not.toBe(orderTraceId({ orderId: 'o-2' }));
    expect(orderTraceId({ orderId: 'o-1' })).not.toBe(orderTraceId({ registrationId: 'o-1' }));
  });

  it('a message carries the producer span as traceparent and Diagnostic-Id, and its delivery continues from it', async () => {
    const sender = new RecordingSender();
    await inStep('erpIntegrator', { subject: { orderId: 'o-7' }, parent: undefined }, () =>
      new TracedQueueSender(sender).send('confirmations', { body: {}, messageId: 'm-1', sessionId: 'o-7' }),
    );
    const sent = sender.sent[0]?.message;
    const producer = telemetry.spans.getFinishedSpans().find((s) => s.name === 'send confirmations');
    expect(producer?.kind).toBe(SpanKind.PRODUCER);
    const traceparent = `00-${producer?.spanContext().traceId}-${producer?.spanContext().spanId}-01`;
    expect(sent?.applicationProperties).toMatchObject({ traceparent, [DIAGNOSTIC_ID]: traceparent });

    const delivery = hubMessageOf(sent?.body, {
      messageId: 'm-1',
      sessionId: 'o-7',
      applicationProperties: { [DIAGNOSTIC_ID]: traceparent },
    });
    await deliveryStep('confirmationStarter', 'confirmations', delivery, { orderId: 'o-7' }, () => Promise.resolve());
    const consumer = telemetry.spans.getFinishedSpans().find((s) => s.name === 'confirmationStarter');
    expect(consumer?.kind).toBe(SpanKind.CONSUMER);
    expect(consumer?.spanContext().traceId).toBe(orderTraceId({ orderId: 'o-7' }));
    expect(consumer?.parentSpanContext?.spanId).toBe(producer?.spanContext().spanId);
    expect(consumer?.attributes).toMatchObject({ 'order.id': 'o-7', 'messaging.destination.name': 'confirmations', 'hub.attempt': 1 });
  });

  it("a step that starts in another system's trace (an ERP callback) joins the order's, linked to where it came from", async () => {
    const sender = new RecordingSender();
    const erpRequest = traceContextFrom({ traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
    await context.with(erpRequest ?? context.active(), () =>
      new TracedQueueSender(sender).send('erp-updates', { body: {}, messageId: 'u-1', sessionId: 'o-9' }),
    );
    const [span] = telemetry.spans.getFinishedSpans();
    expect(span?.spanContext().traceId).toBe(orderTraceId({ orderId: 'o-9' }));
    expect(span?.parentSpanContext?.spanId).toBe(rootSpanId('o-9'));
    expect(span?.links.map((l) => l.context.spanId)).toEqual(['b7ad6b7169203331']);
  });

  it("an Event Grid delivery's step links the host's span and continues nothing else", async () => {
    const host = traceContextFrom({ traceparent: '00-11111111111111111111111111111111-2222222222222222-01' });
    await context.with(host ?? context.active(), () =>
      requestStep('orderEventsProcessor', { orderId: 'o-3' }, {}, () => Promise.resolve()),
    );
    const [span] = telemetry.spans.getFinishedSpans();
    expect(span?.spanContext().traceId).toBe(orderTraceId({ orderId: 'o-3' }));
    expect(span?.links.map((l) => l.context.spanId)).toContain('2222222222222222');
  });

  it('a failed step says its code and nothing of its message, which may quote personal data', async () => {
    const failing = inStep('ecpUpdater', { subject: { orderId: 'o-4' } }, () =>
      Promise.reject(new HubError(ErrorCodes.MAPPING_INVALID_OUTPUT, 'customer jane@example.com has no country', { transient: false })),
    );
    await expect(failing).rejects.toThrow('jane@example.com');
    const [span] = telemetry.spans.getFinishedSpans();
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: ErrorCodes.MAPPING_INVALID_OUTPUT });
    expect(JSON.stringify({ attributes: span?.attributes, events: span?.events })).not.toContain('jane');
  });

  it('calls to remote systems are client spans of the step, whose traceparent the remote system receives', async () => {
    let received: IncomingHttpHeaders = {};
    const server = createServer((request, response) => {
      received = request.headers;
      response.writeHead(201, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const client = createRestClient('erp', { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, timeoutMs: 2000 });
      await inStep('erpIntegrator', { subject: { orderId: 'o-5' } }, () => client().post('/salesOrders?company=x', { a: 1 }));
    } finally {
      server.close();
    }
    const call = telemetry.spans.getFinishedSpans().find((s) => s.kind === SpanKind.CLIENT);
    expect(call?.name).toBe('POST erp');
    expect(call?.attributes).toMatchObject({ 'order.id': 'o-5', 'url.path': '/salesOrders', 'http.response.status_code': 201 });
    expect(received.traceparent).toBe(`00-${call?.spanContext().traceId}-${call?.spanContext().spanId}-01`);
  });

  it("log records within an order's step, or said of an order, carry its id; an e-mail address in one is blanked", async () => {
    const logger = logs.getLogger('test');
    await inStep('ecpUpdater', { subject: { orderId: 'o-6' } }, () => Promise.resolve(logger.emit({ body: 'order o-6 updated' })));
    withSubject({ registrationId: 'r-1' }, () => logger.emit({ body: 'mail to jane@example.com refused' }));
    const records = telemetry.logRecords.getFinishedLogRecords();
    expect(records.map((r) => [r.body, r.attributes])).toEqual([
      ['order o-6 updated', { 'order.id': 'o-6' }],
      ['mail to [email] refused', { 'registration.id': 'r-1' }],
    ]);
  });
});
