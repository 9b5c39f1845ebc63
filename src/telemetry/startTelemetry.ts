/* eslint-disable @typescript-eslint/no-require-imports -- the SDKs load here, synchronously and only when telemetry is configured */
import * as functions from '@azure/functions';
import { hubCredential } from '../adapters/identity/hubCredential';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { logRecordsOnFirstUse, spansOnFirstUse } from './exportOnFirstUse';
import { SubjectLogRecordProcessor, SubjectSpanProcessor } from './subjectProcessors';

export type TelemetryMode = 'azure-monitor' | 'otlp' | 'off';

/** The settings telemetry reads, before any other: the standard names of Application Insights and OpenTelemetry. */
export interface TelemetryEnvironment {
  APPLICATIONINSIGHTS_CONNECTION_STRING?: string | undefined;
  /** `Authorization=AAD` (and `ClientId=<identity>`): Application Insights takes Entra tokens only. */
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING?: string | undefined;
  AZURE_CLIENT_ID?: string | undefined;
  /** Any OpenTelemetry collector (a local Jaeger or Aspire dashboard, a test's receiver): OTLP over HTTP/JSON. */
  OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
  OTEL_SERVICE_NAME?: string | undefined;
}

/** `ClientId=...;Authorization=AAD` as its parts. */
export function authenticationOf(text: string | undefined): { aad: boolean; clientId?: string } {
  const parts = new Map(
    (text ?? '')
      .split(';')
      .map((part) => part.split('=').map((s) => s.trim()) as [string, string | undefined])
      .map(([key, value]) => [key.toLowerCase(), value ?? ''] as const),
  );
  const clientId = parts.get('clientid');
  return { aad: parts.get('authorization')?.toUpperCase() === 'AAD', ...(clientId ? { clientId } : {}) };
}

let started: TelemetryMode | undefined;

/** Where spans and log records go: Application Insights (with Entra where it asks for it), or an OTLP collector. */
export function exportersFor(
  env: TelemetryEnvironment,
): { mode: Exclude<TelemetryMode, 'off'>; traces: SpanExporter; logs: LogRecordExporter } | undefined {
  const connectionString = env.APPLICATIONINSIGHTS_CONNECTION_STRING;
  if (connectionString !== undefined && connectionString !== '') {
    const exporters = (): typeof import('@azure/monitor-opentelemetry-exporter') =>
      require('@azure/monitor-opentelemetry-exporter') as typeof import('@azure/monitor-opentelemetry-exporter');
    const auth = authenticationOf(env.APPLICATIONINSIGHTS_AUTHENTICATION_STRING);
    const options = { connectionString, ...(auth.aad ? { credential: hubCredential(auth.clientId ?? env.AZURE_CLIENT_ID) } : {}) };
    return {
      mode: 'azure-monitor',
      traces: spansOnFirstUse(() => new (exporters().AzureMonitorTraceExporter)(options)),
      logs: logRecordsOnFirstUse(() => new (exporters().AzureMonitorLogExporter)(options)),
    };
  }
  const otlpEndpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (otlpEndpoint !== undefined && otlpEndpoint !== '') {
    return {
      mode: 'otlp',
      traces: spansOnFirstUse(() => {
        const { OTLPTraceExporter } =
          require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
        return new OTLPTraceExporter();
      }),
      logs: logRecordsOnFirstUse(() => {
        const { OTLPLogExporter } =
          require('@opentelemetry/exporter-logs-otlp-http') as typeof import('@opentelemetry/exporter-logs-otlp-http');
        return new OTLPLogExporter();
      }),
    };
  }
  return undefined;
}

/**
 * Starts OpenTelemetry before anything else runs: to Application Insights where it is configured
 * (in Azure, with the managed identity: its ingestion takes Entra tokens only), else to an OTLP
 * endpoint where one is set, else not at all (every span call is then a no-op and nothing more is
 * loaded). The Azure Monitor exporters are those of `@azure/monitor-opentelemetry`, set up here on
 * the SDK's tracer and logger providers rather than through that package, which also brings the
 * whole Node SDK (gRPC, protobuf, configuration files, a dozen instrumentations): some 200 ms more
 * at every cold start (`npm run bench:coldstart`). `@azure/functions-opentelemetry-instrumentation`
 * carries the host's trace context into each invocation and sends the app's log lines as log
 * records; the hub's processors stamp the order id on every span and record. Telemetry is flushed
 * when the worker stops (appTerminate).
 */
export function startTelemetry(env: TelemetryEnvironment = process.env): TelemetryMode {
  if (started !== undefined) return started;
  const exporters = exportersFor(env);
  if (exporters === undefined) return (started = 'off');
  const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
  const { BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base');
  const { LoggerProvider, BatchLogRecordProcessor } = require('@opentelemetry/sdk-logs') as typeof import('@opentelemetry/sdk-logs');
  const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const { logs } = require('@opentelemetry/api-logs') as typeof import('@opentelemetry/api-logs');
  const resource = resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME ?? 'order-hub' });
  const tracerProvider = new NodeTracerProvider({
    resource,
    spanProcessors: [new SubjectSpanProcessor(), new BatchSpanProcessor(exporters.traces)],
  });
  tracerProvider.register();
  const loggerProvider = new LoggerProvider({
    resource,
    processors: [new SubjectLogRecordProcessor(), new BatchLogRecordProcessor({ exporter: exporters.logs })],
  });
  logs.setGlobalLoggerProvider(loggerProvider);
  instrumentFunctions();
  functions.app.hook.appTerminate(async () => {
    await Promise.all([tracerProvider.shutdown(), loggerProvider.shutdown()]);
  });
  return (started = exporters.mode);
}
/**
 * The Functions instrumentation patches `@azure/functions` when it is required; in the deployment
 * bundle it is not required but built in, so the patch is applied here, to the very module the
 * app registers with (as the instrumentation's own module definition would).
 */
function instrumentFunctions(): void {
  const { AzureFunctionsInstrumentation } =
    require('@azure/functions-opentelemetry-instrumentation') as typeof import('@azure/functions-opentelemetry-instrumentation');
  const { logs } = require('@opentelemetry/api-logs') as typeof import('@opentelemetry/api-logs');
  const instrumentation = new AzureFunctionsInstrumentation({ enabled: false });
  instrumentation.setLoggerProvider(logs.getLoggerProvider());
  for (const definition of instrumentation.getModuleDefinitions()) definition.patch?.(functions);
}
