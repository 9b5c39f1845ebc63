import { randomFillSync, randomUUID } from 'node:crypto';
import type { CoreLog, FunctionRegistration, FunctionsCore, RpcTraceContext, RpcTypedData } from './functionsCore';

export interface Invocation {
  inputData: { name: string; data: RpcTypedData }[];
  /** RPC trigger metadata: PascalCase keys, typed values, as the host sends them. */
  triggerMetadata?: Record<string, RpcTypedData>;
  /**
   * The W3C trace context the invocation continues (an HTTP request's `traceparent`); the host
   * starts a new trace where there is none, as it does for a queue message or a Durable task.
   */
  traceParent?: string;
}

export interface InvocationResult {
  returnValue?: RpcTypedData;
}

/** Random bytes for trace and span ids, drawn from a pool filled 4 KiB at a time (a call into the system for each id costs more than the id). */
const randomPool = Buffer.alloc(4096);
let randomPoolUsed = randomPool.length;

function randomHex(bytes: number): string {
  if (randomPoolUsed + bytes > randomPool.length) {
    randomFillSync(randomPool);
    randomPoolUsed = 0;
  }
  randomPoolUsed += bytes;
  return randomPool.toString('hex', randomPoolUsed - bytes, randomPoolUsed);
}

/** A `traceparent` for the host's span of one invocation: in the caller's trace, or a new one. */
export function invocationTraceContext(traceParent: string | undefined, functionName: string): RpcTraceContext {
  const spanId = randomHex(8);
  const caller = /^00-([0-9a-f]{32})-[0-9a-f]{16}-([0-9a-f]{2})$/.exec(traceParent ?? '');
  const traceId = caller?.[1] ?? randomHex(16);
  // Recorded, as the host marks its activities when it exports telemetry (OpenTelemetry mode).
  return { traceParent: `00-${traceId}-${spanId}-${caller?.[2] ?? '01'}`, traceState: '', attributes: { OperationName: functionName } };
}

/**
 * Runs one invocation as the Node worker does: through @azure/functions' own invocation model,
 * with the app's preInvocation hooks (which may replace the handler or its inputs) before, and
 * its postInvocation hooks (which see the result or the error, and may change them) after; the
 * app's log hooks see each line the invocation logs. The host's "Executed" line gives its duration.
 */
export async function invokeFunction(
  core: FunctionsCore,
  registration: FunctionRegistration,
  invocation: Invocation,
  log: CoreLog,
): Promise<InvocationResult> {
  const name = registration.metadata.name;
  const invocationId = randomUUID();
  const started = performance.now();
  log('information', 'host', `Executing 'Functions.${name}' (Reason='This function was programmatically called', Id=${invocationId})`);
  const hookData: Record<string, unknown> = {};
  const appHookData = core.appHookData;
  const invocationContext: { current?: unknown } = {};
  const coreContext = {
    invocationId,
    request: {
      invocationId,
      functionId: name,
      inputData: invocation.inputData,
      triggerMetadata: invocation.triggerMetadata ?? {},
      traceContext: invocationTraceContext(invocation.traceParent, name),
    },
    metadata: registration.metadata,
    state: undefined as string | undefined,
    log: (level: Parameters<CoreLog>[0], category: string, message: string) => {
      const line = { level, category, message, hookData, appHookData, invocationContext: invocationContext.current };
      core.runLogHooks(line);
      log(line.level, `${name}/${category}`, line.message);
    },
  };
  const model = core.getProgrammingModel();
  const invocationModel = model.getInvocationModel(coreContext);
  let succeeded = false;
  let failure = '';
  try {
    const { context, inputs } = await invocationModel.getArguments();
    invocationContext.current = context;
    const pre = { hookData, appHookData, invocationContext: context, functionCallback: registration.callback, inputs };
    coreContext.state = 'preInvocationHooks';
    await core.runHooks('preInvocation', pre);
    const post: Record<string, unknown> = {
      hookData,
      appHookData,
      invocationContext: context,
      inputs: pre.inputs,
      result: null,
      error: null,
    };
    coreContext.state = 'invocation';
    try {
      post.result = await invocationModel.invokeFunction(context, pre.inputs, pre.functionCallback);
    } catch (error) {
      post.error = error;
    }
    coreContext.state = 'postInvocationHooks';
    await core.runHooks('postInvocation', post);
    coreContext.state = undefined;
    if (post.error instanceof Error) {
      failure = post.error.message;
      throw post.error;
    }
    const response = await invocationModel.getResponse(context, post.result);
    succeeded = true;
    return response.returnValue === undefined ? {} : { returnValue: response.returnValue };
  } finally {
    const duration = Math.round(performance.now() - started);
    log(
      succeeded ? 'information' : 'error',
      'host',
      // As the host writes it: the exception's message follows a failed invocation's line.
      `Executed 'Functions.${name}' (${succeeded ? 'Succeeded' : 'Failed'}, Id=${invocationId}, Duration=${duration}ms)${failure === '' ? '' : ` Result: Failure Exception: ${failure}`}`,
    );
  }
}

export function jsonData(value: unknown): RpcTypedData {
  return { json: JSON.stringify(value) };
}

export function stringData(value: string): RpcTypedData {
  return { string: value };
}

/** A returned value as JSON text, as the host serializes it for an extension (bytes as base64); `null` when none. */
export function jsonTextOf(data: RpcTypedData | undefined): string {
  if (data?.json !== undefined) return data.json;
  if (data?.string !== undefined) return JSON.stringify(data.string);
  if (data?.int !== undefined) return JSON.stringify(data.int);
  if (data?.double !== undefined) return JSON.stringify(data.double);
  if (data?.bytes !== undefined) return JSON.stringify(Buffer.from(data.bytes).toString('base64'));
  return 'null';
}
