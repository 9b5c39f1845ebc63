import path from 'node:path';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerEventGridDelivery, EVENT_GRID_EXTENSION, EventGridHeaders } from './eventGrid/eventGridWebhook';
import { ensureHostKeys, keyOpens, presentedKey, systemKeyName, type HostKeys } from './hostKeys';
import { FunctionsCore, installFunctionsCore, type CoreLog, type FunctionRegistration, type RpcTypedData } from './functionsCore';
import { readHostConfig, type HostConfig } from './hostConfig';
import { invokeFunction, jsonData } from './invokeFunction';
import { closeServer, listen } from '../support/httpServer';
import { BodyTooLargeError, readBody } from './readBody';
import { matchRoute } from './routeTemplate';
import type { LocalQueueReceiver } from './serviceBus/LocalQueueReceiver';
import { startServiceBusTriggers } from './serviceBus/serviceBusTriggers';
import { readSchedule, timerInfo, TimerTrigger } from './timer/timerTriggers';
import { DurableBindings, DurableExtension, usesDurable } from './durable/DurableExtension';
import { DURABLE_EXTENSION } from './durable/durableHttp';

export interface FunctionsHostOptions {
  /** Module that registers the functions (the app's entry, package.json "main" in Azure). */
  appEntry: string;
  hostJsonPath: string;
  host: string;
  port: number;
  /** The host's own storage account (AzureWebJobsStorage): its keys live there. */
  storageConnectionString: string;
  /**
   * Where the local Service Bus namespace keeps its queues. Service Bus triggers whose connection
   * names an http(s) endpoint (the local namespace) receive from there; none start without it.
   */
  serviceBusStorageConnectionString?: string;
  /** Pause between receives on an empty queue. @default 200 */
  pollIntervalMs?: number;
  /** Request bodies (HTTP triggers and webhooks); the Functions host takes 100 MB. @default 104857600 */
  maxRequestBodyBytes?: number;
  /** Where its keys live in its storage account: `azure-webjobs-secrets/<hostId>/host.json`. @default local-functions-host */
  hostId?: string;
  log: CoreLog;
}

/** The host id a host keeps its keys under when none is set. */
export const DEFAULT_HOST_ID = 'local-functions-host';

/** The W3C `traceparent` header of a request to the host, which the invocation continues. */
function traceParentOf(request: IncomingMessage): string | undefined {
  const header = request.headers.traceparent;
  return typeof header === 'string' ? header : undefined;
}

/** An answer of the host itself (not of a function): plain text or empty. */
function send(response: ServerResponse, status: number, body?: string): void {
  response.writeHead(status, body === undefined ? {} : { 'content-type': 'text/plain; charset=utf-8' });
  response.end(body ?? '');
}

/**
 * Runs the app's own registrations outside the Functions host: HTTP triggers under /api, the
 * Event Grid webhook, and Service Bus triggers on the local stand-in, each invocation going
 * through @azure/functions' invocation model.
 */
export class FunctionsHost {
  private server: Server | undefined;
  private receivers: LocalQueueReceiver[] = [];
  private timers: TimerTrigger[] = [];
  private readonly hostConfig: HostConfig;
  private keys: HostKeys | undefined;
  private durable: DurableExtension | undefined;
  /** Requests wait for the rest of the start (the Durable extension needs the host's address first). */
  private ready: Promise<void> = Promise.resolve();

  private constructor(
    private readonly options: FunctionsHostOptions,
    private readonly core: FunctionsCore,
  ) {
    this.hostConfig = readHostConfig(options.hostJsonPath);
  }

  static async start(options: FunctionsHostOptions): Promise<FunctionsHost> {
    const core = new FunctionsCore(options.log);
    installFunctionsCore(core);
    // The app registers its functions as a side effect of loading, as in the Functions worker.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(options.appEntry);
    const host = new FunctionsHost(options, core);
    host.checkRegistrations();
    // As the worker does once the app is loaded: its capabilities are read (which fixes its
    // `app.setup` options), then its appStart hooks run before any invocation.
    await core.getProgrammingModel().getCapabilities?.({});
    await core.runHooks('appStart', core.appHookContext({ functionAppDirectory: path.dirname(options.hostJsonPath) }));
    const extensions = [
      ...(host.registrations.some((r) => r.trigger.type === 'eventGridTrigger') ? [EVENT_GRID_EXTENSION] : []),
      ...(usesDurable(host.registrations) ? [DURABLE_EXTENSION] : []),
    ];
    host.keys = await ensureHostKeys(options.storageConnectionString, options.hostId ?? DEFAULT_HOST_ID, extensions);
    let started: () => void = () => undefined;
    host.ready = new Promise((resolve) => (started = resolve));
    await host.listen();
    if (usesDurable(host.registrations)) {
      // As in Azure, the app's process knows the site's host name (the durable client builds its URLs from it).
      process.env.WEBSITE_HOSTNAME ??= new URL(host.url).host;
      host.durable = await DurableExtension.start({
        registrations: host.registrations,
        config: host.hostConfig.extensions.durableTask,
        storageConnectionString: options.storageConnectionString,
        hostUrl: host.url,
        systemKey: host.keys.systemKeys[systemKeyName(DURABLE_EXTENSION)] ?? '',
        invoke: (registration, inputData) => host.invoke(registration, inputData),
        log: options.log,
      });
    }
    // Timer schedules are read (and a wrong one refused) before anything runs.
    const timerSchedules = host.registrations
      .filter((r) => r.trigger.type === 'timerTrigger')
      .map((registration) => ({ registration, schedule: readSchedule(registration) }));
    host.receivers = await startServiceBusTriggers(
      host.registrations,
      {
        storageConnectionString: options.serviceBusStorageConnectionString,
        hostConfig: host.hostConfig,
        pollIntervalMs: options.pollIntervalMs ?? 200,
        log: options.log,
      },
      (registration, data, metadata) => host.invoke(registration, [{ name: registration.trigger.name, data }], metadata),
    );
    host.timers = await Promise.all(
      timerSchedules.map(({ registration, schedule }) =>
        TimerTrigger.start(
          registration,
          schedule,
          { storageConnectionString: options.storageConnectionString, hostId: options.hostId ?? DEFAULT_HOST_ID, log: options.log },
          (r, data) => host.invoke(r, [{ name: r.trigger.name, data }]),
        ),
      ),
    );
    started();
    return host;
  }

  /** Trigger types this host runs; any other stops it, naming the function. */
  private static readonly TRIGGERS = new Set([
    'httpTrigger',
    'eventGridTrigger',
    'serviceBusTrigger',
    'timerTrigger',
    DurableBindings.orchestration,
    DurableBindings.activity,
  ]);

  private checkRegistrations(): void {
    for (const { metadata, trigger } of this.registrations) {
      if (!FunctionsHost.TRIGGERS.has(trigger.type))
        throw new Error(`function ${metadata.name}: the local runtime does not run ${trigger.type} triggers`);
      for (const [name, binding] of Object.entries(metadata.bindings)) {
        if (name === trigger.name || binding.direction !== 'in') continue;
        if (!DurableBindings.client.has(binding.type))
          throw new Error(`function ${metadata.name}: the local runtime does not bind ${binding.type} inputs (${name})`);
      }
      // Azure applies retry policies to timer, Event Hubs, Kafka and Cosmos DB triggers only, and none of those run here.
      if (metadata.retryOptions !== undefined)
        this.options.log(
          'warning',
          'host',
          `function ${metadata.name}: its retry policy is not applied to a ${trigger.type} trigger, as in Azure`,
        );
    }
  }

  get registrations(): FunctionRegistration[] {
    return [...this.core.registrations.values()];
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    return `http://${this.options.host}:${address?.port ?? this.options.port}`;
  }

  /**
   * Stops as the host does on shutdown: no new work; invocations get up to `graceMs` to finish; then
   * open requests are cut (Event Grid delivers those again) and held messages go back to their queue.
   */
  async stop(graceMs = 1500): Promise<void> {
    const server = this.server;
    const closed = closeServer(server);
    const cut = setTimeout(() => server?.closeAllConnections(), graceMs);
    await Promise.all([
      closed,
      ...this.receivers.map((r) => r.stop(graceMs)),
      ...this.timers.map((t) => t.stop(graceMs)),
      this.durable?.stop(graceMs),
    ]);
    clearTimeout(cut);
    // The worker's last act before it exits: the app's appTerminate hooks (telemetry flushes there).
    try {
      await this.core.runHooks('appTerminate', this.core.appHookContext());
    } catch (error) {
      this.options.log('error', 'host', `an appTerminate hook failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** The input bindings the host fills besides the trigger: the durable client's binding data. */
  private extraInputs(registration: FunctionRegistration): { name: string; data: RpcTypedData }[] {
    return Object.entries(registration.metadata.bindings)
      .filter(
        ([name, binding]) => name !== registration.trigger.name && binding.direction === 'in' && DurableBindings.client.has(binding.type),
      )
      .map(([name]) => {
        if (this.durable === undefined) throw new Error('the Durable extension is not running');
        return { name, data: this.durable.clientInput() };
      });
  }

  private async invoke(
    registration: FunctionRegistration,
    inputData: { name: string; data: RpcTypedData }[],
    triggerMetadata?: Record<string, RpcTypedData>,
    traceParent?: string,
  ) {
    const invocation = invokeFunction(
      this.core,
      registration,
      {
        inputData: [...inputData, ...this.extraInputs(registration)],
        ...(triggerMetadata === undefined ? {} : { triggerMetadata }),
        ...(traceParent === undefined ? {} : { traceParent }),
      },
      this.options.log,
    );
    const timeoutMs = this.hostConfig.functionTimeout;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const name = registration.metadata.name;
        // In Azure the host also restarts the worker; here the handler runs on, unobserved.
        this.options.log('error', 'host', `Timeout value of ${timeoutMs} ms exceeded by function '${name}'; the invocation failed`);
        reject(new Error(`Timeout value of ${timeoutMs} ms exceeded by function '${name}'`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([invocation, timedOut]);
    } finally {
      clearTimeout(timer);
      invocation.catch(() => undefined);
    }
  }

  private async listen(): Promise<void> {
    this.server = createServer((request, response) => {
      this.route(request, response).catch((error: unknown) => {
        this.options.log('error', 'host', `request failed: ${String(error)}`);
        if (!response.headersSent) send(response, 500);
        else response.destroy();
      });
    });
    await listen(this.server, this.options.port, this.options.host);
  }

  private opens(request: IncomingMessage, url: URL, level: Parameters<typeof keyOpens>[2]): boolean {
    if (this.keys === undefined) throw new Error('the host has no keys yet');
    return keyOpens(this.keys, presentedKey(url, request.headers), level);
  }

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    await this.ready;
    const url = new URL(request.url ?? '/', this.url);
    if (this.durable !== undefined && url.pathname.toLowerCase().startsWith(`/runtime/webhooks/${DURABLE_EXTENSION}/`)) {
      if (!this.opens(request, url, { systemKey: systemKeyName(DURABLE_EXTENSION) })) return send(response, 401);
      return await this.durable.serve(request, response, `/runtime/webhooks/${DURABLE_EXTENSION}/`);
    }
    const webhook = /^\/runtime\/webhooks\/([^/]+)\/?$/i.exec(url.pathname);
    if (webhook?.[1]?.toLowerCase() === EVENT_GRID_EXTENSION) return await this.eventGridWebhook(request, response, url);
    const adminRun = /^\/admin\/functions\/([^/]+)\/?$/i.exec(url.pathname);
    if (adminRun !== null && request.method === 'POST')
      return await this.runByAdmin(request, response, url, decodeURIComponent(adminRun[1] ?? ''));
    const prefix = `/${this.hostConfig.extensions.http.routePrefix}/`;
    if (url.pathname.startsWith(prefix)) return await this.httpTrigger(request, response, url, url.pathname.slice(prefix.length));
    send(response, 404);
  }

  private async readRequestBody(request: IncomingMessage, response: ServerResponse): Promise<Buffer | undefined> {
    try {
      return await readBody(request, this.options.maxRequestBodyBytes ?? 100 * 1024 * 1024);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      send(response, 413);
      return undefined;
    }
  }

  /** `/runtime/webhooks/eventgrid?functionName=…`: the Event Grid extension's webhook, behind its system key. */
  private async eventGridWebhook(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    if (!this.opens(request, url, { systemKey: systemKeyName(EVENT_GRID_EXTENSION) })) return send(response, 401);
    const functionName = url.searchParams.get('functionName') ?? '';
    const registration = this.core.registrations.get(functionName);
    if (registration?.trigger.type !== 'eventGridTrigger') return send(response, 404, `cannot find function: '${functionName}'`);
    const body = await this.readRequestBody(request, response);
    if (body === undefined) return;
    const deliveryType = request.headers[EventGridHeaders.EVENT_TYPE];
    const answer = await answerEventGridDelivery(
      typeof deliveryType === 'string' ? deliveryType : undefined,
      body.toString('utf8'),
      async (event) => {
        try {
          // The delivery is an HTTP request to the host, which continues its trace context, if any.
          await this.invoke(registration, [{ name: registration.trigger.name, data: jsonData(event) }], undefined, traceParentOf(request));
        } catch (error) {
          this.options.log(
            'error',
            functionName,
            `event ${String((event as { id?: unknown } | null)?.id)} failed: ${error instanceof Error ? error.message : String(error)}`,
          );
          throw error;
        }
      },
    );
    send(response, answer.status, answer.body);
  }

  /**
   * `POST /admin/functions/<name>` with the master key: runs a function that is not HTTP-triggered
   * now, answering 202 at once, as the host does (the portal's Test/Run). Here for timer functions.
   */
  private async runByAdmin(request: IncomingMessage, response: ServerResponse, url: URL, name: string): Promise<void> {
    if (!this.opens(request, url, 'admin')) return send(response, 401);
    const registration = this.registrations.find((r) => r.metadata.name.toLowerCase() === name.toLowerCase());
    if (registration === undefined) return send(response, 404);
    if (registration.trigger.type !== 'timerTrigger')
      return send(response, 400, `the local runtime runs only timer functions through the admin API, not ${registration.trigger.type}`);
    const body = await this.readRequestBody(request, response);
    if (body === undefined) return;
    void this.invoke(registration, [{ name: registration.trigger.name, data: timerInfo(false, null) }]).catch((error: unknown) =>
      this.options.log(
        'error',
        registration.metadata.name,
        `run by the admin API failed: ${error instanceof Error ? error.message : String(error)}`,
      ),
    );
    send(response, 202);
  }

  /** `/api/<route>`: the HTTP-triggered function whose route and methods match, behind its authorization level. */
  private async httpTrigger(request: IncomingMessage, response: ServerResponse, url: URL, path: string): Promise<void> {
    const method = (request.method ?? 'GET').toUpperCase();
    for (const registration of this.registrations) {
      const { trigger } = registration;
      if (trigger.type !== 'httpTrigger') continue;
      const params = matchRoute(typeof trigger.route === 'string' ? trigger.route : registration.metadata.name, path);
      if (params === undefined) continue;
      const methods = Array.isArray(trigger.methods) ? (trigger.methods as string[]).map((m) => m.toUpperCase()) : undefined;
      if (methods !== undefined && !methods.includes(method)) continue;
      const level = typeof trigger.authLevel === 'string' ? trigger.authLevel.toLowerCase() : 'function';
      if (!this.opens(request, url, level === 'anonymous' || level === 'admin' ? level : 'function')) return send(response, 401);
      const body = await this.readRequestBody(request, response);
      if (body === undefined) return;
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers))
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      const result = await this.invoke(
        registration,
        [
          {
            name: trigger.name,
            data: {
              http: { method, url: url.toString(), headers, query: Object.fromEntries(url.searchParams), params, body: { bytes: body } },
            },
          },
        ],
        undefined,
        traceParentOf(request),
      );
      const http = result.returnValue?.http ?? {};
      const responseBody = http.body?.bytes ?? http.body?.string ?? '';
      response.writeHead(Number(http.statusCode ?? 200), http.headers ?? {});
      response.end(typeof responseBody === 'string' ? responseBody : Buffer.from(responseBody));
      return;
    }
    // The host answers an unknown route, and a known one with another method, alike.
    send(response, 404);
  }
}
