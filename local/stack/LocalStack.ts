import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { HUB_QUEUES } from '../../src/config/queues';
import { settingsSchema } from '../../src/config/settings';
import { EcpEventTypes } from '../../src/platforms/ecp/ecpOrderEvents';
import { Azurite } from '../azurite/Azurite';
import { EVENT_GRID_EXTENSION, eventGridWebhookPath } from '../runtime/eventGrid/eventGridWebhook';
import { DEFAULT_HOST_ID } from '../runtime/FunctionsHost';
import { ensureHostKeys, systemKeyName, type HostKeys } from '../runtime/hostKeys';
import { LocalEventGridTopic, type SubscriptionConfig } from '../runtime/eventGrid/LocalEventGridTopic';
import type { LocalQueueDefinition } from '../runtime/serviceBus/localBus';
import { LocalServiceBusNamespace } from '../runtime/serviceBus/LocalServiceBusNamespace';
import { SandboxEcp } from '../sandboxes/ecp/SandboxEcp';
import { SandboxErp } from '../sandboxes/erp/SandboxErp';
import { SandboxMailSink } from '../sandboxes/mail/SandboxMailSink';
import { SandboxMailchimp } from '../sandboxes/mailchimp/SandboxMailchimp';
import { SandboxPaymentProvider } from '../sandboxes/payment/SandboxPaymentProvider';
import { MAILING_LIST_HISTORY, type CatalogProduct } from '../sandboxes/catalog';
import { exited, killGroup, pipeWithPrefix, spawnSupervised, stopSupervised } from '../support/childProcess';
import { freePort, waitForPort } from '../support/freePort';
import { PROJECT_ROOT, readLocalSettings } from './localSettings';

export interface StackPorts {
  functions: number;
  eventGrid: number;
  ecp: number;
  erp: number;
  mail: number;
  mailchimp: number;
  payment: number;
  serviceBus: number;
  blob: number;
  queue: number;
  table: number;
}

export const DEFAULT_PORTS: StackPorts = {
  functions: 7071,
  eventGrid: 7100,
  ecp: 7101,
  erp: 7102,
  mail: 7103,
  mailchimp: 7104,
  payment: 7105,
  serviceBus: 7106,
  blob: 10000,
  queue: 10001,
  table: 10002,
};

export interface LocalStackOptions {
  /** Products beyond the seeded catalog, in both the ECP and the ERP (a generated catalog: benchmarks, paging tests). */
  extraProducts?: readonly CatalogProduct[];
  /** Fixed ports, or 'free' for any free ones (tests). @default DEFAULT_PORTS */
  ports?: Partial<StackPorts> | 'free';
  /** Folder for Azurite's data. @default .local/azurite */
  dataDir?: string;
  /** Folder where the sandbox ECP and ERP keep their orders across restarts; in memory when left out. */
  sandboxDataDir?: string;
  /** App settings over local.settings(.sample).json, e.g. shorter retry delays in tests. */
  settings?: Record<string, string>;
  /** Local-runtime knobs passed to the host process (HUB_QUEUE_POLL_MS, ...). */
  hostEnv?: Record<string, string>;
  /** Queue properties over those of HUB_QUEUES (a shorter lock in tests). */
  queueProperties?: Partial<Omit<LocalQueueDefinition, 'name'>>;
  /** Event Grid's retry schedule multiplied by this. @default 0.1 */
  eventGridRetryScale?: number;
  log?: (line: string) => void;
  /** Azurite's debug log file (the benchmark counts storage calls in it). */
  azuriteDebugLog?: string;
  /** Subscribers of the `order-lifecycle` topic (none by default). */
  lifecycleSubscriptions?: SubscriptionConfig[];
}

/** The shared access key of the local Service Bus namespace, as local.settings.sample.json has it. */
const SERVICE_BUS_KEY = { keyName: 'RootManageSharedAccessKey', key: 'local-service-bus-key' };

/** The host gets this long to stop (its own grace is 1.5 s) before it is killed. */
const HOST_STOP_DEADLINE_MS = 2500;

export const ECP_TOPIC = 'ecp-orders';
export const LIFECYCLE_TOPIC = 'order-lifecycle';
const TOPIC_KEY = 'local-topic-key';

async function resolvePorts(ports: LocalStackOptions['ports']): Promise<StackPorts> {
  if (ports !== 'free') return { ...DEFAULT_PORTS, ...(ports ?? {}) };
  const entries = await Promise.all(Object.keys(DEFAULT_PORTS).map(async (name) => [name, await freePort()] as const));
  return Object.fromEntries(entries) as unknown as StackPorts;
}

/**
 * The whole hub on one machine: Azurite, the local Event Grid topic, the sandbox ECP and ERP, and
 * the Functions host in a process of its own (so it can be stopped, killed and started again).
 */
export class LocalStack {
  private host: ChildProcess | undefined;

  private constructor(
    readonly ports: StackPorts,
    readonly azurite: Azurite,
    readonly topic: LocalEventGridTopic,
    readonly serviceBus: LocalServiceBusNamespace,
    readonly ecp: SandboxEcp,
    readonly erp: SandboxErp,
    readonly mail: SandboxMailSink,
    readonly mailchimp: SandboxMailchimp,
    readonly payments: SandboxPaymentProvider,
    readonly settings: Record<string, string>,
    /** The Functions host's keys: what `az functionapp keys list` shows in Azure. */
    readonly keys: HostKeys,
    private readonly options: LocalStackOptions,
  ) {}

  static async start(options: LocalStackOptions = {}): Promise<LocalStack> {
    const log = options.log ?? ((line: string) => console.log(line));
    const ports = await resolvePorts(options.ports);
    const azurite = await Azurite.start({
      location: options.dataDir ?? path.join(PROJECT_ROOT, '.local', 'azurite'),
      blobPort: ports.blob,
      queuePort: ports.queue,
      tablePort: ports.table,
      ...(options.azuriteDebugLog === undefined ? {} : { debugLog: options.azuriteDebugLog }),
      log,
    });
    const serviceBus = new LocalServiceBusNamespace({
      host: '127.0.0.1',
      port: ports.serviceBus,
      storageConnectionString: azurite.connectionString,
      ...SERVICE_BUS_KEY,
      queues: HUB_QUEUES.map((queue): LocalQueueDefinition => ({ ...queue, ...(options.queueProperties ?? {}) })),
      log: (line) => log(`[servicebus] ${line}`),
    });
    // As `func start`: local.settings.json's values, unless the environment sets them.
    const base = readLocalSettings();
    const fromEnvironment = Object.fromEntries(
      Object.keys(settingsSchema.shape).flatMap((name) => (process.env[name] === undefined ? [] : [[name, process.env[name]]])),
    );
    const settings: Record<string, string> = {
      ...base,
      ...fromEnvironment,
      AzureWebJobsStorage: azurite.connectionString,
      ServiceBusConnection: `Endpoint=http://127.0.0.1:${ports.serviceBus}/;SharedAccessKeyName=${SERVICE_BUS_KEY.keyName};SharedAccessKey=${SERVICE_BUS_KEY.key}`,
      ECP_BASE_URL: `http://127.0.0.1:${ports.ecp}`,
      ERP_BASE_URL: `http://127.0.0.1:${ports.erp}`,
      LIFECYCLE_TOPIC_ENDPOINT: `http://127.0.0.1:${ports.eventGrid}/topics/${LIFECYCLE_TOPIC}/api/events`,
      LIFECYCLE_TOPIC_KEY: TOPIC_KEY,
      SENDGRID_BASE_URL: `http://127.0.0.1:${ports.mail}`,
      MAILCHIMP_BASE_URL: `http://127.0.0.1:${ports.mailchimp}/3.0`,
      PAYMENT_BASE_URL: `http://127.0.0.1:${ports.payment}`,
      ...(options.settings ?? {}),
    };
    /** Where a sandbox keeps its data across restarts, when the stack keeps sandbox data. */
    const stateFile = (sandbox: string): { journal?: string } =>
      options.sandboxDataDir === undefined ? {} : { journal: path.join(options.sandboxDataDir, `${sandbox}.jsonl`) };
    // The host's keys, read (or created first) where the host keeps them, as an operator reads them in Azure.
    const keys = await ensureHostKeys(azurite.connectionString, DEFAULT_HOST_ID, [EVENT_GRID_EXTENSION]);
    const functionKey = keys.functionKeys.default ?? '';
    const subscription: SubscriptionConfig = {
      name: 'order-events-processor',
      endpoint: `http://127.0.0.1:${ports.functions}${eventGridWebhookPath('orderEventsProcessor', keys.systemKeys[systemKeyName(EVENT_GRID_EXTENSION)] ?? '')}`,
      includedEventTypes: [EcpEventTypes.ORDER_CREATED, EcpEventTypes.ORDER_UPDATED],
    };
    const topic = new LocalEventGridTopic({
      host: '127.0.0.1',
      port: ports.eventGrid,
      topics: [
        { name: ECP_TOPIC, key: TOPIC_KEY, subscriptions: [subscription] },
        { name: LIFECYCLE_TOPIC, key: TOPIC_KEY, subscriptions: options.lifecycleSubscriptions ?? [] },
      ],
      storageConnectionString: azurite.connectionString,
      retryScale: options.eventGridRetryScale ?? 0.1,
      log: (line) => log(`[eventgrid] ${line}`),
    });
    const ecp = new SandboxEcp({
      host: '127.0.0.1',
      port: ports.ecp,
      apiKey: settings.ECP_API_KEY ?? '',
      topicEndpoint: `http://127.0.0.1:${ports.eventGrid}/topics/${ECP_TOPIC}/api/events`,
      topicKey: TOPIC_KEY,
      ...(options.extraProducts === undefined ? {} : { extraProducts: options.extraProducts }),
      ...stateFile('ecp'),
      log: (line) => log(`[ecp] ${line}`),
    });
    const erp = new SandboxErp({
      host: '127.0.0.1',
      port: ports.erp,
      apiKey: settings.ERP_API_KEY ?? '',
      callbacks: {
        url: `http://127.0.0.1:${ports.functions}/api/erp/callbacks?code=${encodeURIComponent(functionKey)}`,
        secret: (settings.ERP_CALLBACK_SECRETS ?? '').split(',')[0]?.trim() ?? '',
      },
      ...(options.extraProducts === undefined ? {} : { extraProducts: options.extraProducts }),
      ...stateFile('erp'),
      log: (line) => log(`[erp] ${line}`),
    });
    const mail = new SandboxMailSink({
      host: '127.0.0.1',
      port: ports.mail,
      apiKey: settings.SENDGRID_API_KEY ?? '',
      ...stateFile('mail'),
      log: (line) => log(`[mail] ${line}`),
    });
    const mailchimp = new SandboxMailchimp({
      host: '127.0.0.1',
      port: ports.mailchimp,
      apiKey: settings.MAILCHIMP_API_KEY ?? '',
      listId: settings.MAILCHIMP_LIST_ID ?? '',
      seeded: MAILING_LIST_HISTORY,
      ...stateFile('mailchimp'),
      log: (line) => log(`[mailchimp] ${line}`),
    });
    const payments = new SandboxPaymentProvider({
      host: '127.0.0.1',
      port: ports.payment,
      secretKey: settings.PAYMENT_API_KEY ?? '',
      ...stateFile('payments'),
      log: (line) => log(`[payments] ${line}`),
    });
    const stack = new LocalStack(ports, azurite, topic, serviceBus, ecp, erp, mail, mailchimp, payments, settings, keys, options);
    try {
      await serviceBus.start();
      await topic.start();
      await ecp.start();
      await erp.start();
      await mail.start();
      await mailchimp.start();
      await payments.start();
      await stack.startHost();
      await topic.validateSubscription(subscription);
    } catch (error) {
      await stack.stop();
      throw error;
    }
    return stack;
  }

  get functionsUrl(): string {
    return `http://127.0.0.1:${this.ports.functions}`;
  }

  /** The host's default function key, for calling functions of auth level `function`. */
  get functionKey(): string {
    return this.keys.functionKeys.default ?? '';
  }

  /** Starts the Functions host process and waits until it listens. */
  async startHost(): Promise<void> {
    if (this.host !== undefined && this.host.exitCode === null && this.host.signalCode === null)
      throw new Error('the Functions host is already running');
    const log = this.options.log ?? ((line: string) => console.log(line));
    const child = spawnSupervised(['--import', 'tsx', path.join(PROJECT_ROOT, 'local', 'host', 'main.ts')], {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        ...this.settings,
        HUB_HOST_PORT: String(this.ports.functions),
        LOCAL_SERVICE_BUS_STORAGE: this.azurite.connectionString,
        ...(this.options.hostEnv ?? {}),
      },
    });
    pipeWithPrefix(child, '[functions]', log);
    this.host = child;
    const failed = exited(child).then(() => {
      throw new Error(`the Functions host exited with code ${String(child.exitCode)} while starting`);
    });
    await Promise.race([waitForPort(this.ports.functions, 60_000), failed]);
    failed.catch(() => undefined);
  }

  /** The Functions host's process, while it runs. */
  get hostPid(): number | undefined {
    return this.host?.pid;
  }

  /** The processes of the stack besides this one: the Functions host and Azurite. */
  get childPids(): number[] {
    return [this.hostPid, this.azurite.pid].filter((pid): pid is number => pid !== undefined);
  }

  /**
   * Stops the host as the platform does (it finishes or hands back what it holds within its grace,
   * and is killed after HOST_STOP_DEADLINE_MS), or kills it at once (SIGKILL), as a crash would.
   */
  async stopHost(signal: 'graceful' | 'SIGKILL' = 'graceful'): Promise<void> {
    const child = this.host;
    if (child === undefined) return;
    if (signal === 'SIGKILL') {
      killGroup(child);
      await exited(child);
    } else {
      await stopSupervised(child, HOST_STOP_DEADLINE_MS);
    }
  }

  /**
   * Stops everything in order, within a few seconds: the host and Event Grid deliveries first (what
   * is in flight goes back to its queue; the topics take what the host's last invocations publish),
   * then the topics, the namespace and the sandboxes, and Azurite last, so that every other part can
   * still write to it while it stops.
   */
  async stop(): Promise<void> {
    const log = this.options.log ?? ((line: string) => console.log(line));
    const quietly = (what: string) => (error: unknown) => log(`stopping ${what}: ${String(error)}`);
    await Promise.all([
      this.stopHost().catch(quietly('the Functions host')),
      this.topic.stopDelivering().catch(quietly('Event Grid deliveries')),
    ]);
    await Promise.all([
      this.topic.stop().catch(quietly('the Event Grid topic')),
      this.serviceBus.stop().catch(quietly('the Service Bus namespace')),
      this.ecp.stop().catch(quietly('the sandbox ECP')),
      this.erp.stop().catch(quietly('the sandbox ERP')),
      this.mail.stop().catch(quietly('the mail sink')),
      this.mailchimp.stop().catch(quietly('the Mailchimp sandbox')),
      this.payments.stop().catch(quietly('the payment provider sandbox')),
    ]);
    await this.azurite.stop();
  }
}
