import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A span as OTLP/HTTP JSON carries it (ids in hex). */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  links: { traceId: string; spanId: string }[];
  status?: { code?: number; message?: string };
}

export interface ReceivedLogRecord {
  body: unknown;
  traceId?: string;
  attributes: Record<string, unknown>;
}

type OtlpValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number };
const valueOf = (v: OtlpValue): unknown =>
  v.stringValue ?? (v.intValue === undefined ? undefined : Number(v.intValue)) ?? v.boolValue ?? v.doubleValue;
const attributesOf = (list: { key: string; value: OtlpValue }[] | undefined): Record<string, unknown> =>
  Object.fromEntries((list ?? []).map((a) => [a.key, valueOf(a.value)]));

/**
 * An OpenTelemetry collector for tests: takes OTLP/HTTP JSON on /v1/traces and /v1/logs, as the
 * exporters send it, and keeps what it received in memory.
 */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  readonly logRecords: ReceivedLogRecord[] = [];
  private server: Server | undefined;

  async listen(): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
        if (request.url === '/v1/traces') this.takeSpans(body);
        if (request.url === '/v1/logs') this.takeLogs(body);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    const closed = new Promise((resolve) => this.server?.close(resolve));
    this.server?.closeAllConnections();
    await closed;
  }

  private takeSpans(body: Record<string, unknown>): void {
    type Span = Omit<ReceivedSpan, 'attributes' | 'links'> & {
      attributes?: { key: string; value: OtlpValue }[];
      links?: ReceivedSpan['links'];
    };
    const resourceSpans = (body.resourceSpans ?? []) as { scopeSpans?: { spans?: Span[] }[] }[];
    for (const span of resourceSpans.flatMap((r) => r.scopeSpans ?? []).flatMap((s) => s.spans ?? []))
      this.spans.push({ ...span, attributes: attributesOf(span.attributes), links: span.links ?? [] });
  }

  private takeLogs(body: Record<string, unknown>): void {
    type Record_ = { body?: OtlpValue; traceId?: string; attributes?: { key: string; value: OtlpValue }[] };
    const resourceLogs = (body.resourceLogs ?? []) as { scopeLogs?: { logRecords?: Record_[] }[] }[];
    for (const record of resourceLogs.flatMap((r) => r.scopeLogs ?? []).flatMap((s) => s.logRecords ?? []))
      this.logRecords.push({
        body: record.body === undefined ? undefined : valueOf(record.body),
        ...(record.traceId === undefined ? {} : { traceId: record.traceId }),
        attributes: attributesOf(record.attributes),
      });
  }
}
