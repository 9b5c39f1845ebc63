import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { QueueServiceClient } from '@azure/storage-queue';
import { DuplicateDetectionLog } from '../../src/adapters/localServiceBus/DuplicateDetectionLog';
import { deadLetterQueueName, LOCAL_SERVICE_BUS_CONNECTION } from '../../src/adapters/localServiceBus/localBusEnvelope';
import { DEFAULT_DUPLICATE_WINDOW_MS } from '../../src/adapters/localServiceBus/LocalServiceBusSender';
import { EventGridDeliveryTypes, EventGridHeaders } from './eventGrid/eventGridWebhook';
import { FunctionsCore, installFunctionsCore, type CoreLog, type FunctionRegistration, type RpcTypedData } from './functionsCore';
import { readHostConfig, type HostConfig } from './hostConfig';
import { invokeFunction, jsonData, stringData } from './invokeFunction';
import { closeServer, listen } from '../support/httpServer';
import { BodyTooLargeError, readBody } from './readBody';
import { matchRoute } from './routeTemplate';
import { LocalQueueReceiver, type QueueProperties, type ReceivedMessage } from './serviceBus/LocalQueueReceiver';

export interface FunctionsHostOptions {
  /** Module that registers the functions (the app's entry, package.json "main" in Azure). */
  appEntry: string;
  hostJsonPath: string;
  host: string;
  port: number;
  /** Storage account of the local Service Bus stand-in (AzureWebJobsStorage). */
  storageConnectionString: string;
  queueProperties: QueueProperties;
  /** Pause between receives on an empty queue. @default 200 */
  pollIntervalMs?: number;
  /** Event Grid delivers at most 1 MB per request. @default 1048576 */
  eventGridMaxBodyBytes?: number;
  /** HTTP trigger bodies; the Functions host takes 100 MB. @default 104857600 */
  httpMaxBodyBytes?: number;
  log: CoreLog;
}

/** A failure that retrying cannot mend: the hub's permanent errors carry `transient: false`. */
function isPermanent(error: unknown): error is { code: string; message: string } {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    'transient' in error &&
    (error as { transient: unknown }).transient === false
  );
}

function send(response: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, {
    ...(body === undefined ? {} : { 'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json' }),
    ...headers,
  });
  response.end(text);
}

/**
 * Runs the app's own registrations outside the Functions host: HTTP triggers under /api, the
 * Event Grid webhook, and Service Bus triggers on the local stand-in, each invocation going
 * through @azure/functions' invocation model.
 */
export class FunctionsHost {
  private server: Server | undefined;
  private readonly receivers: LocalQueueReceiver[] = [];
  private readonly hostConfig: HostConfig;

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
    await host.startReceivers();
    await host.listen();
    return host;
  }

  get registrations(): FunctionRegistration[] {
    return [...this.core.registrations.values()];
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    return `http://${this.options.host}:${address?.port ?? this.options.port}`;
  }

  async stop(): Promise<void> {
    await closeServer(this.server);
    await Promise.all(this.receivers.map((r) => r.stop()));
  }

  private async invoke(
    registration: FunctionRegistration,
    inputData: { name: string; data: RpcTypedData }[],
    triggerMetadata?: Record<string, RpcTypedData>,
  ) {
    return await invokeFunction(
      this.core.getProgrammingModel(),
      registration,
      { inputData, ...(triggerMetadata === undefined ? {} : { triggerMetadata }) },
      this.options.log,
    );
  }

  private async startReceivers(): Promise<void> {
    const service = QueueServiceClient.fromConnectionString(this.options.storageConnectionString);
    const duplicates = new DuplicateDetectionLog(this.options.storageConnectionString, DEFAULT_DUPLICATE_WINDOW_MS);
    for (const registration of this.registrations) {
      const { trigger } = registration;
      if (trigger.type !== 'serviceBusTrigger') continue;
      const connection = process.env[String(trigger.connection)];
      if (connection?.trim() !== LOCAL_SERVICE_BUS_CONNECTION) {
        this.options.log(
          'warning',
          'host',
          `${registration.metadata.name}: setting ${String(trigger.connection)} is not ${LOCAL_SERVICE_BUS_CONNECTION}; trigger not started`,
        );
        continue;
      }
      const queueName = String(trigger.queueName);
      const sessionsEnabled = trigger.isSessionsEnabled === true;
      const serviceBus = this.hostConfig.extensions.serviceBus;
      const receiver = new LocalQueueReceiver(
        service.getQueueClient(queueName),
        service.getQueueClient(deadLetterQueueName(queueName)),
        duplicates,
        {
          ...this.options.queueProperties,
          queueName,
          sessionsEnabled,
          maxConcurrent: sessionsEnabled ? serviceBus.maxConcurrentSessions : serviceBus.maxConcurrentCalls,
          pollIntervalMs: this.options.pollIntervalMs ?? 200,
        },
        (message) => this.invokeServiceBus(registration, message),
        (line) => this.options.log('information', `servicebus/${queueName}`, line),
      );
      await receiver.start();
      this.receivers.push(receiver);
    }
  }

  private async invokeServiceBus(registration: FunctionRegistration, message: ReceivedMessage): Promise<void> {
    const { envelope } = message;
    const metadata: Record<string, RpcTypedData> = {
      MessageId: stringData(envelope.messageId),
      DeliveryCount: jsonData(message.deliveryCount),
      EnqueuedTimeUtc: stringData(envelope.enqueuedTimeUtc),
      ContentType: stringData(envelope.contentType),
      ApplicationProperties: jsonData(envelope.applicationProperties),
      ...(envelope.sessionId === undefined ? {} : { SessionId: stringData(envelope.sessionId) }),
      ...(envelope.correlationId === undefined ? {} : { CorrelationId: stringData(envelope.correlationId) }),
    };
    await this.invoke(registration, [{ name: registration.trigger.name, data: jsonData(envelope.body) }], metadata);
  }

  private async listen(): Promise<void> {
    this.server = createServer((request, response) => {
      this.route(request, response).catch((error: unknown) => {
        this.options.log('error', 'host', `request failed: ${String(error)}`);
        if (!response.headersSent) send(response, 500, { error: 'internal error' });
        else response.destroy();
      });
    });
    await listen(this.server, this.options.port, this.options.host);
  }

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.url);
    if (url.pathname.toLowerCase() === '/runtime/webhooks/eventgrid') return await this.eventGridWebhook(request, response, url);
    const prefix = `/${this.hostConfig.extensions.http.routePrefix}/`;
    if (url.pathname.startsWith(prefix)) return await this.httpTrigger(request, response, url, url.pathname.slice(prefix.length));
    send(response, 404, { error: `no route for ${url.pathname}` });
  }

  private async eventGridWebhook(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    if (request.method === 'OPTIONS') {
      // CloudEvents abuse protection handshake.
      const origin = request.headers['webhook-request-origin'];
      return send(response, 200, undefined, typeof origin === 'string' ? { 'webhook-allowed-origin': origin } : {});
    }
    if (request.method !== 'POST') return send(response, 405, { error: 'the Event Grid webhook takes POST and OPTIONS' });
    const functionName = url.searchParams.get('functionName') ?? '';
    const registration = this.core.registrations.get(functionName);
    if (registration?.trigger.type !== 'eventGridTrigger')
      return send(response, 404, { error: `no Event Grid function named ${JSON.stringify(functionName)}` });

    let body: Buffer;
    try {
      body = await readBody(request, this.options.eventGridMaxBodyBytes ?? 1024 * 1024);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return send(response, 413, { error: error.message });
      throw error;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return send(response, 400, { error: 'request body is not JSON' });
    }
    const events: unknown[] = Array.isArray(parsed) ? parsed : [parsed];
    if (events.length === 0 || events.some((e) => typeof e !== 'object' || e === null)) {
      return send(response, 400, { error: 'request body must be an event or an array of events' });
    }

    const deliveryType = request.headers[EventGridHeaders.EVENT_TYPE];
    if (deliveryType === EventGridDeliveryTypes.SUBSCRIPTION_VALIDATION) {
      const code = (events[0] as { data?: { validationCode?: unknown } }).data?.validationCode;
      if (typeof code !== 'string') return send(response, 400, { error: 'SubscriptionValidation event without data.validationCode' });
      return send(response, 200, { validationResponse: code });
    }
    if (deliveryType !== EventGridDeliveryTypes.NOTIFICATION) {
      return send(response, 400, {
        error: `header ${EventGridHeaders.EVENT_TYPE} must be ${EventGridDeliveryTypes.SUBSCRIPTION_VALIDATION} or ${EventGridDeliveryTypes.NOTIFICATION}`,
      });
    }

    const rejected: string[] = [];
    let failed = false;
    for (const event of events) {
      try {
        await this.invoke(registration, [{ name: registration.trigger.name, data: jsonData(event) }]);
      } catch (error) {
        if (isPermanent(error)) rejected.push(`${error.code}: ${error.message}`);
        else failed = true;
        this.options.log(
          'error',
          functionName,
          `event ${String((event as { id?: unknown }).id)} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    // Permanent failures cannot be mended by retrying: say why with a 400, as for a bad request.
    if (failed) return send(response, 500, { error: 'the function failed; Event Grid will retry' });
    if (rejected.length > 0) return send(response, 400, { error: rejected.join('; ') });
    send(response, 202);
  }

  private async httpTrigger(request: IncomingMessage, response: ServerResponse, url: URL, path: string): Promise<void> {
    const method = (request.method ?? 'GET').toUpperCase();
    for (const registration of this.registrations) {
      const { trigger } = registration;
      if (trigger.type !== 'httpTrigger') continue;
      const params = matchRoute(typeof trigger.route === 'string' ? trigger.route : registration.metadata.name, path);
      if (params === undefined) continue;
      const methods = Array.isArray(trigger.methods) ? (trigger.methods as string[]).map((m) => m.toUpperCase()) : ['GET', 'POST'];
      if (!methods.includes(method)) return send(response, 405, { error: `${method} is not allowed here` });
      let body: Buffer;
      try {
        body = await readBody(request, this.options.httpMaxBodyBytes ?? 100 * 1024 * 1024);
      } catch (error) {
        if (error instanceof BodyTooLargeError) return send(response, 413, { error: error.message });
        throw error;
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers))
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      const result = await this.invoke(registration, [
        {
          name: trigger.name,
          data: {
            http: { method, url: url.toString(), headers, query: Object.fromEntries(url.searchParams), params, body: { bytes: body } },
          },
        },
      ]);
      const http = result.returnValue?.http ?? {};
      const responseBody = http.body?.bytes ?? http.body?.string ?? '';
      response.writeHead(Number(http.statusCode ?? 200), http.headers ?? {});
      response.end(typeof responseBody === 'string' ? responseBody : Buffer.from(responseBody));
      return;
    }
    send(response, 404, { error: `no function for /${path}` });
  }
}
