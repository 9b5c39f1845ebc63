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
  /** Asked once the app is loaded; from then on the app's `app.setup` options are fixed. */
  getCapabilities?(workerCapabilities: Record<string, string>): Promise<Record<string, string>>;
}

/** The hooks a worker runs (`app.hook.*` registers them through the core module). */
export const HOOK_NAMES = ['preInvocation', 'postInvocation', 'appStart', 'appTerminate', 'log'] as const;
export type HookName = (typeof HOOK_NAMES)[number];
export type HookCallback = (context: Record<string, unknown>) => unknown;

/** The W3C trace context the host gives each invocation (RpcTraceContext). */
export interface RpcTraceContext {
  traceParent: string;
  traceState?: string;
  attributes?: Record<string, string>;
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

  private readonly hooks = new Map<HookName, HookCallback[]>(HOOK_NAMES.map((name) => [name, []]));
  /** Shared by every hook of the app (`appHookData`), as in the worker. */
  readonly appHookData: Record<string, unknown> = {};
  /** Shared by the app-level hooks only (`hookData` of appStart and appTerminate). */
  readonly appLevelHookData: Record<string, unknown> = {};

  registerHook(hookName: string, callback: HookCallback): { dispose(): void } {
    const hooks = this.hooks.get(hookName as HookName);
    if (hooks === undefined) {
      // The worker's own error for a hook it does not know; @azure/functions reads its name.
      const error = new RangeError(`Unrecognized hook "${hookName}"`) as RangeError & { isAzureFunctionsSystemError: boolean };
      error.isAzureFunctionsSystemError = true;
      throw error;
    }
    hooks.push(callback);
    return {
      dispose: () => {
        const index = hooks.indexOf(callback);
        if (index >= 0) hooks.splice(index, 1);
      },
    };
  }

  /** Runs the hooks of one kind in the order they were registered, each awaited, as the worker does. */
  async runHooks(hookName: HookName, context: Record<string, unknown>): Promise<void> {
    for (const callback of [...(this.hooks.get(hookName) ?? [])]) await callback(context);
  }

  /** Log hooks run synchronously, inside the call that logs. */
  runLogHooks(context: Record<string, unknown>): void {
    for (const callback of this.hooks.get('log') ?? []) callback(context);
  }

  /** The app-level hooks' context (appStart, appTerminate). */
  appHookContext(extra: Record<string, unknown> = {}): Record<string, unknown> {
    const appHookData = this.appHookData;
    const hookData = this.appLevelHookData;
    return {
      get hookData() {
        return hookData;
      },
      get appHookData() {
        return appHookData;
      },
      ...extra,
    };
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
