import { AzureMonitorLogExporter, AzureMonitorTraceExporter } from '@azure/monitor-opentelemetry-exporter';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { authenticationOf, exportersFor } from '../../../src/telemetry/startTelemetry';

const CONNECTION =
  'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/';

describe('where telemetry goes', () => {
  it('to Application Insights where its connection string is set, with Entra when the authentication string asks for it', () => {
    const exporters = exportersFor({
      APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION,
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=11111111-2222-3333-4444-555555555555;Authorization=AAD',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
    });
    expect(exporters?.mode).toBe('azure-monitor');
    // Made on the first export.
    exporters?.traces.export([], () => undefined);
    exporters?.logs.export([], () => undefined);
    expect((exporters?.traces as unknown as { made: unknown }).made).toBeInstanceOf(AzureMonitorTraceExporter);
    expect((exporters?.logs as unknown as { made: unknown }).made).toBeInstanceOf(AzureMonitorLogExporter);
    expect(authenticationOf('ClientId=11111111-2222-3333-4444-555555555555;Authorization=AAD')).toEqual({
      aad: true,
      clientId: '11111111-2222-3333-4444-555555555555',
    });
    expect(authenticationOf(undefined)).toEqual({ aad: false });
  });

  it('to an OTLP collector where only its endpoint is set; nowhere when neither is', () => {
    const exporters = exportersFor({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' });
    expect(exporters?.mode).toBe('otlp');
    exporters?.traces.export([], () => undefined);
    expect((exporters?.traces as unknown as { made: unknown }).made).toBeInstanceOf(OTLPTraceExporter);
    expect(exportersFor({})).toBeUndefined();
    expect(exportersFor({ APPLICATIONINSIGHTS_CONNECTION_STRING: '' })).toBeUndefined();
  });
});
