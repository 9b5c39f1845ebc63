import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeServer, listen } from '../../support/httpServer';
import type { CoreLog, FunctionRegistration, RpcTypedData } from '../functionsCore';
import type { DurableTaskConfig } from '../hostConfig';
import { stringData } from '../invokeFunction';
import { readBody } from '../readBody';
import { ActivityDispatcher } from './ActivityDispatcher';
import { DurableClientApi, type ApiAnswer } from './DurableClientApi';
import { answerDurableRequest, durableClientBindingData, managementUrlsOf } from './durableHttp';
import { OrchestrationDispatcher, type InvokeDurable } from './OrchestrationDispatcher';
import { TaskHub } from './TaskHub';

export interface DurableExtensionOptions {
  registrations: readonly FunctionRegistration[];
  config: DurableTaskConfig;
  /** The task hub's storage account (AzureWebJobsStorage). */
  storageConnectionString: string;
  /** The host's public address, for the management URLs. */
  hostUrl: string;
  /** The extension's system key (`durabletask_extension`), required by its public webhook. */
  systemKey: string;
  invoke: InvokeDurable;
  log: CoreLog;
}

/** Binding types of the Durable extension. */
export const DurableBindings = {
  orchestration: 'orchestrationTrigger',
  activity: 'activityTrigger',
  client: new Set(['durableClient', 'orchestrationClient']),
};

/** Whether an app needs the extension: it registers an orchestrator, an activity or a durable client. */
export function usesDurable(registrations: readonly FunctionRegistration[]): boolean {
  return registrations.some(
    (r) =>
      r.trigger.type === DurableBindings.orchestration ||
      r.trigger.type === DurableBindings.activity ||
      Object.values(r.metadata.bindings).some((b) => DurableBindings.client.has(b.type)),
  );
}

function byName(registrations: readonly FunctionRegistration[], type: string): Map<string, FunctionRegistration> {
  return new Map(registrations.filter((r) => r.trigger.type === type).map((r) => [r.metadata.name, r]));
}

function reply(response: ServerResponse, answer: ApiAnswer): void {
  const body = answer.body === undefined ? '' : JSON.stringify(answer.body);
  response.writeHead(answer.status, { ...(body === '' ? {} : { 'content-type': 'application/json; charset=utf-8' }), ...answer.headers });
  response.end(body);
}

/**
 * The Durable Functions extension of the local runtime: a task hub in Azurite, orchestrations run
 * episode by episode through the library's own replay, activities from the work-item queue, the
 * client API behind the binding data a `durableClient` input gets (an RPC endpoint on loopback, as
 * the extension's, and the public webhook under /runtime/webhooks/durabletask).
 */
export class DurableExtension {
  private rpcServer: Server | undefined;
  private bindingData: ReturnType<typeof durableClientBindingData> | undefined;
  private api: DurableClientApi | undefined;

  private constructor(private readonly hub: TaskHub) {}

  static async start(options: DurableExtensionOptions): Promise<DurableExtension> {
    const log = (line: string): void => options.log('information', 'durabletask', line);
    const hub = new TaskHub(options.storageConnectionString, options.config, log);
    await hub.create();
    const orchestrators = byName(options.registrations, DurableBindings.orchestration);
    const activities = byName(options.registrations, DurableBindings.activity);
    const extension = new DurableExtension(hub);
    extension.rpcServer = createServer((request, response) => {
      extension.serve(request, response, '/durabletask/').catch((error: unknown) => {
        options.log('error', 'durabletask', `request failed: ${String(error)}`);
        if (!response.headersSent) reply(response, { status: 500 });
        else response.destroy();
      });
    });
    await listen(extension.rpcServer, 0, '127.0.0.1');
    const rpcPort = (extension.rpcServer.address() as AddressInfo).port;
    extension.bindingData = durableClientBindingData(
      options.hostUrl,
      `http://127.0.0.1:${rpcPort}/durabletask/`,
      hub.name,
      options.systemKey,
    );
    extension.api = new DurableClientApi(hub, new Set(orchestrators.keys()), managementUrlsOf(extension.bindingData));
    const orchestrations = new OrchestrationDispatcher(hub, orchestrators, options.invoke, options.log);
    const activityRunner = new ActivityDispatcher(hub, activities, options.invoke);
    for (const queue of hub.controlQueues) queue.start((message) => orchestrations.handle(message));
    hub.workItems.start((item) => activityRunner.handle(item));
    return extension;
  }

  /** What a `durableClient` input binding receives. */
  clientInput(): RpcTypedData {
    return stringData(JSON.stringify(this.bindingData));
  }

  /** Answers a request under `prefix` (the RPC endpoint, or the public webhook once its key is checked). */
  async serve(request: IncomingMessage, response: ServerResponse, prefix: string): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const body = (await readBody(request, 10 * 1024 * 1024)).toString('utf8');
    const path = url.pathname.slice(url.pathname.toLowerCase().indexOf(prefix.toLowerCase()) + prefix.length);
    if (this.api === undefined) throw new Error('the Durable extension is not started');
    reply(response, await answerDurableRequest(this.api, (request.method ?? 'GET').toUpperCase(), path, url.searchParams, body));
  }

  /** Stops taking messages; running episodes and activities get up to `graceMs`; what is held goes back to its queue. */
  async stop(graceMs: number): Promise<void> {
    await Promise.all([
      closeServer(this.rpcServer, true),
      this.hub.workItems.stop(graceMs),
      ...this.hub.controlQueues.map((q) => q.stop(graceMs)),
    ]);
  }
}
