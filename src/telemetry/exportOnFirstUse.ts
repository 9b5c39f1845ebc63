import type { ExportResult } from '@opentelemetry/core';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

interface Exporter<T> {
  export(items: T[], resultCallback: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

/**
 * An exporter made when it first has something to send: the batch processors call it seconds
 * after start, so its package (the Azure Monitor exporter is a megabyte and a half) is not loaded
 * while the function app starts.
 */
class ExportOnFirstUse<T> implements Exporter<T> {
  private made: Exporter<T> | undefined;

  constructor(private readonly make: () => Exporter<T>) {}

  export(items: T[], resultCallback: (result: ExportResult) => void): void {
    this.made ??= this.make();
    this.made.export(items, resultCallback);
  }

  async shutdown(): Promise<void> {
    await this.made?.shutdown();
  }

  async forceFlush(): Promise<void> {
    await this.made?.forceFlush?.();
  }
}

export function spansOnFirstUse(make: () => SpanExporter): SpanExporter {
  return new ExportOnFirstUse<ReadableSpan>(make);
}

export function logRecordsOnFirstUse(make: () => LogRecordExporter): LogRecordExporter {
  return new ExportOnFirstUse<ReadableLogRecord>(make);
}
