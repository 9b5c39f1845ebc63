import type { FunctionRegistration } from '../functionsCore';
import { jsonTextOf, stringData } from '../invokeFunction';
import { EventTypes, type HistoryEvent } from './durableProtocol';
import { LocalKeys, type WorkItem } from './orchestrationEpisode';
import type { InvokeDurable } from './OrchestrationDispatcher';
import type { TaskHub } from './TaskHub';

/**
 * Runs activities from the work-item queue and sends each outcome to the orchestration's control
 * queue: TaskCompleted with the result as JSON text, or TaskFailed with the error. The work item is
 * deleted only after that send, so an activity whose host dies is run again (at least once, as in Azure).
 */
export class ActivityDispatcher {
  constructor(
    private readonly hub: TaskHub,
    private readonly activities: ReadonlyMap<string, FunctionRegistration>,
    private readonly invoke: InvokeDurable,
  ) {}

  async handle(item: WorkItem): Promise<void> {
    const outcome = await this.outcomeOf(item);
    const event: HistoryEvent = {
      EventId: -1,
      IsPlayed: false,
      Timestamp: new Date().toISOString(),
      TaskScheduledId: item.taskId,
      LocalKey: LocalKeys.taskDone(item.taskId),
      ...outcome,
    };
    await this.hub.sendControl({ instanceId: item.instanceId, executionId: item.executionId, event });
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
