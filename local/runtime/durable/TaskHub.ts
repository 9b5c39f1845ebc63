import { QueueServiceClient } from '@azure/storage-queue';
import type { DurableTaskConfig } from '../hostConfig';
import type { ControlMessage, Outbound, WorkItem } from './orchestrationEpisode';
import { LargeMessages } from './LargeMessages';
import { TaskHubQueue } from './TaskHubQueue';
import { TaskHubStore } from './TaskHubStore';

/** FNV-1a: which control queue an instance's messages go to, the same every time. */
function partitionOf(instanceId: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(instanceId)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash % partitions;
}

/**
 * A task hub in a storage account, after the Durable Task Framework's Azure Storage provider: the
 * table `<hub>Instances` (each instance's row and history in one partition, so that an episode
 * commits in one transaction), control queues `<hub>-control-NN` (an instance's messages always on
 * the same one), the work-item queue `<hub>-workitems` and the container `<hub>-largemessages`.
 */
export class TaskHub {
  readonly store: TaskHubStore;
  readonly controlQueues: TaskHubQueue<ControlMessage>[];
  readonly workItems: TaskHubQueue<WorkItem>;
  private readonly largeMessages: LargeMessages;

  constructor(
    storageConnectionString: string,
    readonly config: DurableTaskConfig,
    log: (message: string) => void,
  ) {
    const queues = QueueServiceClient.fromConnectionString(storageConnectionString);
    const prefix = config.hubName.toLowerCase();
    const provider = config.storageProvider;
    this.store = new TaskHubStore(storageConnectionString, config.hubName);
    this.largeMessages = new LargeMessages(storageConnectionString, `${prefix}-largemessages`);
    const largeMessages = this.largeMessages;
    this.controlQueues = Array.from(
      { length: provider.partitionCount },
      (_, i) =>
        new TaskHubQueue<ControlMessage>(queues.getQueueClient(`${prefix}-control-${i.toString().padStart(2, '0')}`), {
          visibilityTimeoutMs: provider.controlQueueVisibilityTimeout,
          maxConcurrent: Math.max(1, Math.ceil(config.maxConcurrentOrchestratorFunctions / provider.partitionCount)),
          maxPollingIntervalMs: provider.maxQueuePollingInterval,
          sessionOf: (message) => message.instanceId,
          largeMessages,
          log,
        }),
    );
    this.workItems = new TaskHubQueue<WorkItem>(queues.getQueueClient(`${prefix}-workitems`), {
      visibilityTimeoutMs: provider.workItemQueueVisibilityTimeout,
      maxConcurrent: config.maxConcurrentActivityFunctions,
      maxPollingIntervalMs: provider.maxQueuePollingInterval,
      largeMessages,
      log,
    });
  }

  get name(): string {
    return this.config.hubName;
  }

  async create(): Promise<void> {
    await Promise.all([
      this.store.create(),
      this.largeMessages.create(),
      this.workItems.create(),
      ...this.controlQueues.map((q) => q.create()),
    ]);
  }

  async sendControl(message: ControlMessage, delayMs = 0): Promise<void> {
    await this.controlQueues[partitionOf(message.instanceId, this.controlQueues.length)]!.send(message, delayMs);
  }

  async send(outbound: readonly Outbound[]): Promise<void> {
    await Promise.all(
      outbound.map((o) =>
        o.kind === 'activity' ? this.workItems.send(o.item) : this.sendControl(o.message, Date.parse(o.fireAt) - Date.now()),
      ),
    );
  }
}
