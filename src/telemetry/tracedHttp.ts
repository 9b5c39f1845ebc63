import { context, propagation, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { AxiosInstance, InternalAxiosRequestConfig } from 'axios';

const spans = new WeakMap<InternalAxiosRequestConfig, Span>();

/**
 * A client span for each call the hub makes to a remote system (the ECP, the ERP, the payment
 * provider), in the active step's trace, and the W3C `traceparent` header on the request. The
 * span names the method, host and path, never the query or body; it ends with the status.
 */
export function traceRequests(client: AxiosInstance, system: string): AxiosInstance {
  client.interceptors.request.use((config) => {
    const url = new URL(client.getUri(config));
    const method = (config.method ?? 'get').toUpperCase();
    const span = trace.getTracer('order-hub').startSpan(`${method} ${system}`, {
      kind: SpanKind.CLIENT,
      attributes: {
        'http.request.method': method,
        'server.address': url.hostname,
        'url.path': url.pathname,
        'peer.service': system,
      },
    });
    spans.set(config, span);
    const carrier: Record<string, string> = {};
    propagation.inject(trace.setSpan(context.active(), span), carrier);
    for (const [name, value] of Object.entries(carrier)) config.headers.set(name, value);
    return config;
  });
  client.interceptors.response.use(
    (response) => {
      const span = spans.get(response.config);
      span?.setAttribute('http.response.status_code', response.status);
      span?.end();
      return response;
    },
    (error: unknown) => {
      const failure = error as { config?: InternalAxiosRequestConfig; response?: { status?: number }; code?: string };
      const span = failure.config === undefined ? undefined : spans.get(failure.config);
      if (span !== undefined) {
        const status = failure.response?.status;
        if (status !== undefined) span.setAttribute('http.response.status_code', status);
        span.setAttribute('error.type', status !== undefined ? String(status) : (failure.code ?? 'error'));
        span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      }
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    },
  );
  return client;
}
