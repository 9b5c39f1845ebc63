import Module from 'node:module';

/** Binding metadata as @azure/functions registers it (the RPC shape, camelCase properties). */
export interface RpcBinding {
  type: string;
  direction: 'in' | 'out' | 'inout';
  name?: string;
  [property: string]: unknown;
}

export interface FunctionMetadata {
  name: string;
  bindings: Record<string, RpcBinding>;
  retryOptions?: unknown;
}

export type FunctionCallback = (...args: unknown[]) => unknown;

/** What @azure/functions' ProgrammingModel offers the worker. */
export interface ProgrammingModel {
  name: string;
  version: string;
  getInvocationModel(coreContext: unknown): InvocationModel;
}

export interface InvocationModel {
  getArguments(): Promise<{ context: unknown; inputs: unknown[] }>;
  invokeFunction(context: unknown, inputs: unknown[], handler: FunctionCallback): Promise<unknown>;
  getResponse(
    context: unknown,
    result: unknown,
  ): Promise<{ returnValue?: RpcTypedData; outputData?: { name: string; data: RpcTypedData }[] }>;
}

export interface RpcHttpData {
  method?: string;
  url?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  params?: Record<string, string>;
  body?: RpcTypedData;
  statusCode?: string;
}

export interface RpcTypedData {
  string?: string;
  json?: string;
  bytes?: Uint8Array;
  int?: number;
  double?: number;
  http?: RpcHttpData;
}

export interface FunctionRegistration {
  metadata: FunctionMetadata;
  callback: FunctionCallback;
  /** The trigger binding: its name and properties (queueName, route, schedule, ...). */
  trigger: RpcBinding & { name: string };
}

type LogLevel = 'trace' | 'debug' | 'information' | 'warning' | 'error' | 'critical' | 'none';
export type CoreLog = (level: LogLevel, category: string, message: string) => void;

/**
 * Stands in for the worker's `@azure/functions-core` module. The Functions worker provides that
 * module by wrapping `Module.prototype.require`; installing this one the same way, before the
 * app's first `app.*` call, makes @azure/functions register for real instead of in test mode.
 */
export class FunctionsCore {
  readonly version = '3.10.1';
  readonly hostVersion = '4.1000.0';
  readonly registrations = new Map<string, FunctionRegistration>();
  private programmingModel: ProgrammingModel | undefined;

  constructor(readonly log: CoreLog) {}

  registerFunction(metadata: FunctionMetadata, callback: FunctionCallback): { dispose(): void } {
    const trigger = Object.entries(metadata.bindings).find(([, b]) => /trigger$/i.test(b.type));
    if (trigger === undefined) throw new Error(`function ${metadata.name} has no trigger binding`);
    if (this.registrations.has(metadata.name)) throw new Error(`function ${metadata.name} is registered twice`);
    this.registrations.set(metadata.name, { metadata, callback, trigger: { ...trigger[1], name: trigger[0] } });
    return { dispose: () => this.registrations.delete(metadata.name) };
  }

  registerHook(): { dispose(): void } {
    return { dispose: () => undefined };
  }

  setProgrammingModel(model: ProgrammingModel): void {
    this.programmingModel = model;
  }

  getProgrammingModel(): ProgrammingModel {
    if (this.programmingModel === undefined) throw new Error('no programming model: the app registered no function');
    return this.programmingModel;
  }
}

let installed: FunctionsCore | undefined;

/** Makes `require('@azure/functions-core')` return `core` in this process. Once per process. */
export function installFunctionsCore(core: FunctionsCore): void {
  if (installed !== undefined) throw new Error('a Functions core is already installed in this process');
  installed = core;
  const proto = Module.prototype as unknown as { require: (this: unknown, id: string) => unknown };
  const original = proto.require;
  proto.require = function (this: unknown, id: string): unknown {
    if (id === '@azure/functions-core') return core;
    // eslint-disable-next-line prefer-rest-params
    return original.apply(this, arguments as unknown as [string]);
  };
}
