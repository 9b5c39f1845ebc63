import type { FunctionRegistration } from '../functionsCore';
import { jsonTextOf, stringData } from '../invokeFunction';
import { EventTypes, type HistoryEvent } from './durableProtocol';
import { LocalKeys, type ControlMessage, type WorkItem } from './orchestrationEpisode';
import type { InvokeDurable } from './OrchestrationDispatcher';
import type { TaskHub } from './TaskHub';

/** How long a direct run waits before it tries again to deliver an outcome that could not be delivered. */
const REDELIVERY_PAUSE_MS = 2000;

/**
 * Runs activities and delivers each outcome to its orchestration: TaskCompleted with the result as
 * JSON text, or TaskFailed with the error. An activity comes from the work-item queue, whose message
 * is deleted only after the outcome is delivered; or, while fewer than the limit run, straight from
 * the episode that scheduled it in this process. Either way its TaskScheduled is committed first,
 * and an activity whose host dies before its outcome is delivered is run again: from the queue, or
 * from the instances the extension finds unfinished when it starts (at least once, as in Azure).
 */
export class ActivityDispatcher {
  private running = 0;
  private readonly direct = new Set<Promise<void>>();
  /** Activities run straight from an episode whose outcome is not delivered yet, by instance. */
  private readonly directByInstance = new Map<string, number>();
  private stopped = false;

  constructor(
    hub: TaskHub,
    private readonly activities: ReadonlyMap<string, FunctionRegistration>,
    private readonly invoke: InvokeDurable,
    /** host.json maxConcurrentActivityFunctions: activities run straight from an episode at most. */
    private readonly maxConcurrent: number,
    /** Where the outcome goes: the orchestration's next episode. @default the instance's control queue */
    private readonly deliver: (message: ControlMessage) => Promise<void> = (message) => hub.sendControl(message),
  ) {}

  /** An activity from the work-item queue: run, its outcome delivered (a failure to deliver throws, and the message comes back). */
  async handle(item: WorkItem): Promise<void> {
    await this.deliver(await this.run(item));
  }

  /** Runs the activity now in this process when there is room: true; false when it must go through the work-item queue. */
  runNow(item: WorkItem): boolean {
    if (this.stopped || this.running >= this.maxConcurrent) return false;
    this.count(item.instanceId, 1);
    const run = (async () => {
      let outcome: ControlMessage;
      try {
        outcome = await this.run(item);
      } finally {
        // Counted out in the same turn as its outcome reaches the instance's inbox (delivery is synchronous up to there).
        this.count(item.instanceId, -1);
      }
      // Delivered, or left for the next start to find the instance unfinished and run the activity again.
      while (!this.stopped) {
        try {
          await this.deliver(outcome);
          return;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, REDELIVERY_PAUSE_MS));
        }
      }
    })()
      .catch(() => undefined)
      .finally(() => this.direct.delete(run));
    this.direct.add(run);
    return true;
  }

  /** How many activities of the instance run straight from its episodes, their outcomes on the way to its next one. */
  runningFor(instanceId: string): number {
    return this.directByInstance.get(instanceId) ?? 0;
  }

  private count(instanceId: string, change: number): void {
    const n = (this.directByInstance.get(instanceId) ?? 0) + change;
    if (n <= 0) this.directByInstance.delete(instanceId);
    else this.directByInstance.set(instanceId, n);
  }

  /** Waits up to `graceMs` for the activities run straight from episodes. */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(this.direct), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
  }

  /** Runs the activity: its outcome as the control message for its orchestration. */
  private async run(item: WorkItem): Promise<ControlMessage> {
    this.running++;
    try {
      const outcome = await this.outcomeOf(item);
      const event: HistoryEvent = {
        EventId: -1,
        IsPlayed: false,
        Timestamp: new Date().toISOString(),
        TaskScheduledId: item.taskId,
        LocalKey: LocalKeys.taskDone(item.taskId),
        ...outcome,
      };
      return { instanceId: item.instanceId, executionId: item.executionId, event };
    } finally {
      this.running--;
    }
  }

  private async outcomeOf(item: WorkItem): Promise<{ EventType: number; [field: string]: unknown }> {
    const failed = (reason: string, details = '') => ({ EventType: EventTypes.TaskFailed, Reason: reason, Details: details });
    const registration = this.activities.get(item.name);
    if (registration === undefined)
      return failed(`The function '${item.name}' doesn't exist, is disabled, or is not an activity function.`);
    try {
      const result = await this.invoke(registration, [{ name: registration.trigger.name, data: stringData(item.input) }]);
      return { EventType: EventTypes.TaskCompleted, Result: jsonTextOf(result.returnValue) };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return failed(`Activity function '${item.name}' failed: ${message}`, error instanceof Error ? (error.stack ?? '') : '');
    }
  }
}
