import type { ReplayJobInput, ReplayJobProgress } from '../domain/replayJob';

/** Where a replay job stands: running, completed, cancelled (with who and why), or failed. */
export interface ReplayJobView {
  jobId: string;
  state: 'running' | 'completed' | 'cancelled' | 'failed';
  createdAt: string;
  /** Its progress so far, or at the end. */
  progress?: ReplayJobProgress;
  /** Why it was cancelled or failed. */
  reason?: string;
}

/** Replay jobs: started, watched and cancelled (the Durable task hub keeps them). */
export interface ReplayJobsPort {
  start(jobId: string, input: ReplayJobInput): Promise<void>;
  view(jobId: string): Promise<ReplayJobView | undefined>;
  /** The jobs created since then, newest first. */
  list(since: Date): Promise<ReplayJobView[]>;
  /** False when the job is not running (finished, or unknown). */
  cancel(jobId: string, reason: string): Promise<boolean>;
}
