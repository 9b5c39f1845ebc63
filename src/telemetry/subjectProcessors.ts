import { context, type Context } from '@opentelemetry/api';
import type { LogRecordProcessor, SdkLogRecord } from '@opentelemetry/sdk-logs';
import type { Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { subjectAttributes, subjectOf } from './orderTrace';
import { withoutPersonalData } from './personalData';

/**
 * Stamps the order (or registration) id on every span started within one of its steps, the spans
 * of instrumentations included (HTTP, Azure SDKs), so every span of an order can be found by it.
 */
export class SubjectSpanProcessor implements SpanProcessor {
  onStart(span: Span, parentContext: Context): void {
    const subject = subjectOf(parentContext);
    if (subject !== undefined) span.setAttributes(subjectAttributes(subject));
  }

  onEnd(): void {}

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {}
}

/** The same for log records, whose text loses any e-mail address on the way. */
export class SubjectLogRecordProcessor implements LogRecordProcessor {
  onEmit(logRecord: SdkLogRecord, logContext?: Context): void {
    const subject = subjectOf(logContext ?? context.active());
    if (subject !== undefined) logRecord.setAttributes(subjectAttributes(subject));
    if (typeof logRecord.body === 'string') logRecord.setBody(withoutPersonalData(logRecord.body));
  }

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {}
}
