import { randomUUID } from 'node:crypto';
import type { CoreLog, FunctionRegistration, ProgrammingModel, RpcTypedData } from './functionsCore';

export interface Invocation {
  inputData: { name: string; data: RpcTypedData }[];
  /** RPC trigger metadata: PascalCase keys, typed values, as the host sends them. */
  triggerMetadata?: Record<string, RpcTypedData>;
}

export interface InvocationResult {
  returnValue?: RpcTypedData;
}

/** Runs one invocation through @azure/functions' own invocation model, as the worker does. */
export async function invokeFunction(
  model: ProgrammingModel,
  registration: FunctionRegistration,
  invocation: Invocation,
  log: CoreLog,
): Promise<InvocationResult> {
  const invocationId = randomUUID();
  const coreContext = {
    invocationId,
    request: {
      invocationId,
      functionId: registration.metadata.name,
      inputData: invocation.inputData,
      triggerMetadata: invocation.triggerMetadata ?? {},
    },
    metadata: registration.metadata,
    state: 'invocation',
    log: (level: Parameters<CoreLog>[0], category: string, message: string) =>
      log(level, `${registration.metadata.name}/${category}`, message),
  };
  const invocationModel = model.getInvocationModel(coreContext);
  const { context, inputs } = await invocationModel.getArguments();
  const result = await invocationModel.invokeFunction(context, inputs, registration.callback);
  const response = await invocationModel.getResponse(context, result);
  return response.returnValue === undefined ? {} : { returnValue: response.returnValue };
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
