import { context, propagation, trace } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { SubjectLogRecordProcessor, SubjectSpanProcessor } from '../../src/telemetry/subjectProcessors';

/** OpenTelemetry in this process with in-memory exporters and the hub's processors, as startTelemetry sets it up. */
export function startMemoryTelemetry(): { spans: InMemorySpanExporter; logRecords: InMemoryLogRecordExporter; stop: () => Promise<void> } {
  const spans = new InMemorySpanExporter();
  const logRecords = new InMemoryLogRecordExporter();
  const tracerProvider = new NodeTracerProvider({ spanProcessors: [new SubjectSpanProcessor(), new SimpleSpanProcessor(spans)] });
  tracerProvider.register();
  const loggerProvider = new LoggerProvider({
    processors: [new SubjectLogRecordProcessor(), new SimpleLogRecordProcessor({ exporter: logRecords })],
  });
  logs.setGlobalLoggerProvider(loggerProvider);
  return {
    spans,
    logRecords,
    stop: async () => {
      await Promise.all([tracerProvider.shutdown(), loggerProvider.shutdown()]);
      trace.disable();
      propagation.disable();
      context.disable();
      logs.disable();
    },
  };
}
