import { AzureFunctionsInstrumentation } from '@azure/functions-opentelemetry-instrumentation';
import { context as activeContext, trace } from '@opentelemetry/api';
import { FunctionsCore, type CoreLog } from '../../../local/runtime/functionsCore';
import { invokeFunction } from '../../../local/runtime/invokeFunction';
import { startMemoryTelemetry } from '../../support/memoryTelemetry';

const core = new FunctionsCore(() => undefined);
jest.mock('@azure/functions-core', () => core, { virtual: true });

// eslint-disable-next-line @typescript-eslint/no-require-imports
const functions = require('@azure/functions') as typeof import('@azure/functions');

const lines: string[] = [];
const log: CoreLog = (level, category, message) => lines.push(`${level} ${category}: ${message}`);
const events: string[] = [];
const seen: { traceParent?: string; activeSpanId?: string } = {};

functions.app.http('greet', {
  authLevel: 'anonymous',
  handler: (_request, context) => {
    seen.traceParent = context.traceContext?.traceParent ?? undefined;
    seen.activeSpanId = trace.getSpanContext(activeContext.active())?.spanId;
    context.info('hello from greet');
    return { status: 200, body: 'hi' };
  },
});
functions.app.hook.appStart(() => void events.push('appStart'));
// As startTelemetry does, while the app loads (before the host fixes its setup).
for (const definition of new AzureFunctionsInstrumentation({ enabled: false }).getModuleDefinitions()) definition.patch?.(functions);
functions.app.hook.preInvocation((hook) => {
  events.push(`pre ${hook.invocationContext.functionName}`);
  const handler = hook.functionHandler;
  hook.functionHandler = (...args) => {
    events.push('wrapped handler');
    return handler(...args) as unknown;
  };
});
functions.app.hook.postInvocation((hook) => {
  events.push(`post ${JSON.stringify((hook.result as { status?: number } | undefined)?.status)}`);
});
functions.app.hook.log((hook) => {
  if (hook.category === 'user') events.push(`log ${hook.message}`);
});

const registration = () => {
  const found = core.registrations.get('greet');
  if (found === undefined) throw new Error('greet is not registered');
  return found;
};
const request = () => ({
  name: registration().trigger.name,
  data: { http: { method: 'GET', url: 'http://127.0.0.1/api/greet', headers: {}, query: {}, params: {} } },
});

describe('the local runtime runs the worker hooks and passes the trace context, as the Node worker does', () => {
  beforeEach(() => {
    events.length = 0;
    lines.length = 0;
  });

  it('appStart hooks run when the host asks; capabilities fix the setup', async () => {
    await core.getProgrammingModel().getCapabilities?.({});
    await core.runHooks('appStart', core.appHookContext({ functionAppDirectory: '.' }));
    expect(events).toEqual(['appStart']);
    expect(() => functions.app.setup({ enableHttpStream: false })).toThrow(/after app startup/);
  });

  it('pre- and postInvocation hooks wrap the handler and see its result; log hooks see its lines; the host logs the duration', async () => {
    const result = await invokeFunction(core, registration(), { inputData: [request()] }, log);
    expect(result.returnValue?.http?.statusCode).toBe('200');
    expect(events).toEqual(['pre greet', 'wrapped handler', 'log hello from greet', 'post 200']);
    expect(lines.find((l) => l.includes("Executed 'Functions.greet'"))).toMatch(/\(Succeeded, Id=[0-9a-f-]+, Duration=\d+ms\)/);
  });

  it("an invocation continues the caller's trace: the handler's traceContext, and its active span once the instrumentation is on", async () => {
    const telemetry = startMemoryTelemetry();
    try {
      const caller = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
      await invokeFunction(core, registration(), { inputData: [request()], traceParent: caller }, log);
      expect(seen.traceParent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
      expect(seen.traceParent).not.toBe(caller);
      expect(seen.activeSpanId).toBe(seen.traceParent?.split('-')[2]);

      await invokeFunction(core, registration(), { inputData: [request()] }, log);
      expect(seen.traceParent).not.toMatch(/4bf92f3577b34da6a3ce929d0e0e4736/);
    } finally {
      await telemetry.stop();
    }
  });
});
