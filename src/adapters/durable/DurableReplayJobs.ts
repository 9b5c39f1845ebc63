import { ReplayJobFunctions, type ReplayJobInput, type ReplayJobProgress } from '../../domain/replayJob';
import type { ReplayJobsPort, ReplayJobView } from '../../ports/ReplayJobsPort';
import type { ReplayJobTable } from '../tables/ReplayJobTable';

/** An orchestration's status as the durable client gives it (durable-functions' DurableOrchestrationStatus). */
interface OrchestrationStatus {
  name: string;
  instanceId: string;
  createdTime: Date;
  runtimeStatus: string;
  customStatus?: unknown;
  output?: unknown;
}

/** What the replay jobs need of a durable client (durable-functions' DurableClient has it). */
export interface ReplayJobsClient {
  startNew(name: string, options: { instanceId: string; input: ReplayJobInput }): Promise<string>;
  getStatus(instanceId: string, options: { showInput: boolean }): Promise<OrchestrationStatus>;
  terminate(instanceId: string, reason: string): Promise<void>;
}

/** The Durable runtime statuses (OrchestrationRuntimeStatus) as a job's state. */
const STATES: Record<string, ReplayJobView['state']> = {
  Pending: 'running',
  Running: 'running',
  ContinuedAsNew: 'running',
  Suspended: 'running',
  Completed: 'completed',
  Terminated: 'cancelled',
  Canceled: 'cancelled',
  Failed: 'failed',
};

function viewOf(status: OrchestrationStatus): ReplayJobView {
  const state = STATES[status.runtimeStatus] ?? 'running';
  const progress = (state === 'completed' ? status.output : status.customStatus) as ReplayJobProgress | null | undefined;
  // A terminated instance's output is the reason it was given; a failed one's, its error.
  const output = status.output;
  const reason =
    state === 'cancelled' || state === 'failed' ? (typeof output === 'string' ? output : JSON.stringify(output ?? null)) : undefined;
  return {
    jobId: status.instanceId,
    state,
    createdAt: new Date(status.createdTime).toISOString(),
    ...(progress === null || progress === undefined ? {} : { progress }),
    ...(reason === undefined ? {} : { reason }),
  };
}

/** Jobs a listing shows at most. */
const MAX_LISTED = 50;

const isNotFound = (error: unknown): boolean => error instanceof Error && /HTTP 404/.test(error.message);

/** Replay jobs as Durable orchestrations (`replayJob`), through the durable client an ops function is bound to. */
export class DurableReplayJobs implements ReplayJobsPort {
  constructor(
    private readonly client: ReplayJobsClient,
    /** Where the jobs' ids are kept, so that listing them reads no other orchestration. */
    private readonly ids: Pick<ReplayJobTable, 'add' | 'since'>,
  ) {}

  async start(jobId: string, input: ReplayJobInput): Promise<void> {
    await this.ids.add(jobId, new Date(input.requestedAt));
    await this.client.startNew(ReplayJobFunctions.ORCHESTRATION, { instanceId: jobId, input });
  }

  async view(jobId: string): Promise<ReplayJobView | undefined> {
    try {
      const status = await this.client.getStatus(jobId, { showInput: false });
      return status.name === ReplayJobFunctions.ORCHESTRATION ? viewOf(status) : undefined;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async list(since: Date): Promise<ReplayJobView[]> {
    const ids = await this.ids.since(since, MAX_LISTED);
    const views = await Promise.all(ids.map((id) => this.view(id)));
    return views.filter((v) => v !== undefined);
  }

  async cancel(jobId: string, reason: string): Promise<boolean> {
    const job = await this.view(jobId);
    if (job?.state !== 'running') return false;
    // durable-functions puts the reason into the extension's URL as it is.
    await this.client.terminate(jobId, encodeURIComponent(reason));
    return true;
  }
}
