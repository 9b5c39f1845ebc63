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
import { pendingOf, startedMessage, type ControlMessage } from './orchestrationEpisode';

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
 * What an earlier run of the host left unfinished: for each instance pending or running, the events
 * it awaits are sent again (its start, the activities whose outcome is not in its history, its
 * timers). Activities this process ran straight from an episode live in no queue, so a host that
 * dies while they run leaves them for here; a repeat of anything still queued is dropped by its key.
 */
async function recoverUnfinished(hub: TaskHub, log: (line: string) => void): Promise<void> {
  let recovered = 0;
  for (const record of await hub.store.list({ statuses: ['Pending', 'Running'] })) {
    const history = await hub.store.readHistory(record);
    const awaited = history.length === 0 ? [{ kind: 'start' as const }] : pendingOf(record.instanceId, record.executionId, history);
    if (awaited.length === 0) continue;
    if (history.length === 0) await hub.sendControl(startedMessage(record));
    else await hub.send(pendingOf(record.instanceId, record.executionId, history));
    recovered++;
  }
  if (recovered > 0) log(`took up ${recovered} unfinished orchestration(s) where they stood`);
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
  private activities: ActivityDispatcher | undefined;

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
    // Activities an episode schedules run in this process while there is room (the runner is made just below).
    const runNow = { runner: undefined as ActivityDispatcher | undefined };
    const orchestrations = new OrchestrationDispatcher(
      hub,
      orchestrators,
      options.invoke,
      options.log,
      (item) => runNow.runner?.runNow(item) ?? false,
      (instanceId) => runNow.runner?.runningFor(instanceId) ?? 0,
    );
    // An event raised in this process (an activity's outcome, a start) goes straight to its
    // orchestration's next episode; through the control queue when that fails (a work item is
    // deleted only after either).
    const deliver = async (message: ControlMessage): Promise<void> => {
      try {
        await orchestrations.handle([message]);
      } catch (error) {
        options.log(
          'warning',
          'durabletask',
          `episode of ${message.instanceId} failed (${String(error)}); its event goes through the control queue`,
        );
        await hub.sendControl(message);
      }
    };
    extension.api = new DurableClientApi(
      hub,
      new Set(orchestrators.keys()),
      managementUrlsOf(extension.bindingData),
      (id, stored) => orchestrations.written(id, stored),
      deliver,
      (record, started) => orchestrations.startNew(record, started),
    );
    const runner = new ActivityDispatcher(hub, activities, options.invoke, options.config.maxConcurrentActivityFunctions, deliver);
    runNow.runner = runner;
    extension.activities = runner;
    for (const queue of hub.controlQueues) queue.start((messages) => orchestrations.handle(messages));
    hub.workItems.start(async (items) => {
      await Promise.all(items.map((item) => runner.handle(item)));
    });
    await recoverUnfinished(hub, log);
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
      this.activities?.stop(graceMs),
      this.hub.workItems.stop(graceMs),
      ...this.hub.controlQueues.map((q) => q.stop(graceMs)),
    ]);
  }
}
