import { BlobServiceClient, RestError, type ContainerClient } from '@azure/storage-blob';
import parser from 'cron-parser';
import type { CoreLog, FunctionRegistration, RpcTypedData } from '../functionsCore';
import { jsonData } from '../invokeFunction';

/** Where the host keeps each timer's schedule status (`useMonitor`), in its storage account, as in Azure. */
const HOSTS_CONTAINER = 'azure-webjobs-hosts';

interface ScheduleStatus {
  Last: string;
  Next: string;
  LastUpdated: string;
}

/** `%NAME%` in a binding property: the app setting, as the host resolves it; a setting that is not there stops the host. */
export function resolveAppSetting(text: string, functionName: string, env: NodeJS.ProcessEnv = process.env): string {
  return text.replace(/%([^%]+)%/g, (_, name: string) => {
    const value = env[name];
    if (value === undefined || value === '')
      throw new Error(`function ${functionName}: '%${name}%' does not resolve to a value (no app setting ${name})`);
    return value;
  });
}

/** An NCRONTAB schedule (six fields, seconds first, UTC) as the host reads it; anything else stops the host, naming the function. */
export function parseSchedule(schedule: string, functionName: string): (after: Date) => Date {
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 6)
    throw new Error(
      `function ${functionName}: the schedule '${schedule}' is not an NCRONTAB expression of six fields ({second} {minute} {hour} {day} {month} {day-of-week}); a TimeSpan is not taken on Consumption plans`,
    );
  try {
    parser.parseExpression(schedule, { utc: true });
  } catch (error) {
    throw new Error(
      `function ${functionName}: the schedule '${schedule}' cannot be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return (after) => parser.parseExpression(schedule, { utc: true, currentDate: after }).next().toDate();
}

/** A timer registration's schedule, its app settings resolved, checked; `nextAfter` gives each occurrence. */
export function readSchedule(registration: FunctionRegistration): { schedule: string; nextAfter: (after: Date) => Date } {
  const name = registration.metadata.name;
  const given = registration.trigger.schedule;
  if (typeof given !== 'string') throw new Error(`function ${name}: a timer trigger needs a schedule`);
  const schedule = resolveAppSetting(given, name);
  return { schedule, nextAfter: parseSchedule(schedule, name) };
}

/** The timer binding's data as the host hands it to the worker; a run not on the schedule (the admin API's) has no status. */
export function timerInfo(isPastDue: boolean, status: ScheduleStatus | null): RpcTypedData {
  return jsonData({ Schedule: { AdjustForDST: true }, ScheduleStatus: status, IsPastDue: isPastDue });
}

export interface TimerOptions {
  /** The host's storage account (AzureWebJobsStorage), where schedule status is kept. */
  storageConnectionString: string;
  hostId: string;
  log: CoreLog;
}

export type InvokeTimer = (registration: FunctionRegistration, data: RpcTypedData) => Promise<unknown>;

/**
 * One timer-triggered function, run as the host runs it: at each occurrence of its schedule (UTC),
 * never two at once (an occurrence that falls while one runs is skipped); at start too with
 * `runOnStartup`; with `useMonitor` (the default for schedules a minute apart or more) its last and
 * next occurrences are kept in the host's storage, and an occurrence missed while the host was down
 * runs at start, past due.
 */
export class TimerTrigger {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  private constructor(
    private readonly registration: FunctionRegistration,
    private readonly nextAfter: (after: Date) => Date,
    private readonly monitor: ContainerClient | undefined,
    private readonly invoke: InvokeTimer,
    private readonly options: TimerOptions,
  ) {}

  static async start(
    registration: FunctionRegistration,
    { schedule, nextAfter }: ReturnType<typeof readSchedule>,
    options: TimerOptions,
    invoke: InvokeTimer,
  ): Promise<TimerTrigger> {
    const name = registration.metadata.name;
    const first = nextAfter(new Date());
    const useMonitor =
      typeof registration.trigger.useMonitor === 'boolean'
        ? registration.trigger.useMonitor
        : nextAfter(first).getTime() - first.getTime() >= 60_000;
    const monitor = useMonitor
      ? BlobServiceClient.fromConnectionString(options.storageConnectionString).getContainerClient(HOSTS_CONTAINER)
      : undefined;
    await monitor?.createIfNotExists();
    const trigger = new TimerTrigger(registration, nextAfter, monitor, invoke, options);
    const status = await trigger.readStatus();
    const pastDue = status !== undefined && Date.parse(status.Next) <= Date.now();
    if (registration.trigger.runOnStartup === true || pastDue) void trigger.fire(pastDue, status);
    else trigger.schedule();
    options.log('information', 'host', `timer ${name}: schedule '${schedule}' (UTC), next ${trigger.nextAfter(new Date()).toISOString()}`);
    return trigger;
  }

  /** No further occurrences; a running one gets `graceMs` to finish. */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.running !== undefined) await Promise.race([this.running.catch(() => undefined), new Promise((r) => setTimeout(r, graceMs))]);
  }

  private schedule(): void {
    if (this.stopped) return;
    const next = this.nextAfter(new Date());
    // setTimeout takes at most 2^31-1 ms: a far occurrence is waited for in steps.
    const wait = Math.min(next.getTime() - Date.now(), 2 ** 31 - 1);
    this.timer = setTimeout(
      () => {
        if (Date.now() + 5 < next.getTime()) return this.schedule();
        void this.fire(false, undefined, next);
      },
      Math.max(0, wait),
    );
  }

  private async fire(isPastDue: boolean, status: ScheduleStatus | undefined, occurrence = new Date()): Promise<void> {
    if (this.stopped) return;
    const last = status?.Last ?? new Date(0).toISOString();
    const next = this.nextAfter(occurrence);
    const timer = timerInfo(isPastDue, { Last: last, Next: next.toISOString(), LastUpdated: new Date().toISOString() });
    this.running = this.invoke(this.registration, timer);
    try {
      await this.running;
    } catch (error) {
      this.options.log(
        'error',
        this.registration.metadata.name,
        `timer invocation failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      this.running = undefined;
    }
    await this.writeStatus({ Last: occurrence.toISOString(), Next: next.toISOString(), LastUpdated: new Date().toISOString() }).catch(
      (error: unknown) =>
        this.options.log('warning', 'host', `timer ${this.registration.metadata.name}: its status was not kept: ${String(error)}`),
    );
    this.schedule();
  }

  private blobName(): string {
    return `timers/${this.options.hostId}/Host.Functions.${this.registration.metadata.name}/status`;
  }

  private async readStatus(): Promise<ScheduleStatus | undefined> {
    if (this.monitor === undefined) return undefined;
    try {
      const content = await this.monitor.getBlockBlobClient(this.blobName()).downloadToBuffer();
      return JSON.parse(content.toString('utf8')) as ScheduleStatus;
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 404) return undefined;
      throw error;
    }
  }

  private async writeStatus(status: ScheduleStatus): Promise<void> {
    if (this.monitor === undefined) return;
    const text = JSON.stringify(status);
    await this.monitor.getBlockBlobClient(this.blobName()).upload(text, Buffer.byteLength(text));
  }
}
