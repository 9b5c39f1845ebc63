/**
 * What the Durable Functions extension and the durable-functions library exchange, as the library
 * reads and writes it (azure-functions-durable-js, out-of-process protocol, replay schema V3):
 * history events in, orchestrator state with cumulative actions out.
 */
export const EventTypes = {
  ExecutionStarted: 0,
  ExecutionCompleted: 1,
  ExecutionTerminated: 3,
  TaskScheduled: 4,
  TaskCompleted: 5,
  TaskFailed: 6,
  TimerCreated: 10,
  TimerFired: 11,
  OrchestratorStarted: 12,
  OrchestratorCompleted: 13,
  EventRaised: 15,
} as const;

export interface HistoryEvent {
  EventType: number;
  /** The sequence number of what the event schedules (a task, a timer); -1 for the rest. */
  EventId: number;
  IsPlayed: boolean;
  Timestamp: string;
  /** This backend's own key of the message that brought the event, so that a redelivery is not applied twice. */
  LocalKey?: string;
  [field: string]: unknown;
}

export const ActionTypes = {
  CallActivity: 0,
  CallActivityWithRetry: 1,
  CallSubOrchestrator: 2,
  CallSubOrchestratorWithRetry: 3,
  ContinueAsNew: 4,
  CreateTimer: 5,
  WaitForExternalEvent: 6,
  CallEntity: 7,
  CallHttp: 8,
  SignalEntity: 9,
  WhenAny: 11,
  WhenAll: 12,
} as const;

/** An orchestration instance's status, as the Durable extension names it. */
export type RuntimeStatus = 'Pending' | 'Running' | 'Completed' | 'Failed' | 'Terminated';

/** Statuses after which nothing runs: a start with the same id replaces the instance. */
export function isFinished(status: RuntimeStatus): boolean {
  return status === 'Completed' || status === 'Failed' || status === 'Terminated';
}

export interface RetryOptions {
  firstRetryIntervalInMilliseconds: number;
  maxNumberOfAttempts: number;
  backoffCoefficient?: number;
  maxRetryIntervalInMilliseconds?: number;
  retryTimeoutInMilliseconds?: number;
}

export interface Action {
  actionType: number;
  functionName?: string;
  input?: unknown;
  retryOptions?: RetryOptions;
  fireAt?: string;
  isCanceled?: boolean;
  externalEventName?: string;
  compoundActions?: Action[];
}

/** What an orchestrator invocation returns (or carries in its error after `$OutOfProcData$:`). */
export interface OrchestratorState {
  isDone: boolean;
  actions: Action[][];
  output?: unknown;
  error?: string;
  customStatus?: unknown;
  schemaVersion?: number;
}

/** The replay schema this backend speaks: V3 (timers with the long-timer settings below). */
export const UPPER_SCHEMA_VERSION = 2;

/** The actions in the order the orchestrator scheduled them, compound ones opened. */
export function leafActions(state: OrchestratorState): Action[] {
  const open = (action: Action): Action[] =>
    action.actionType === ActionTypes.WhenAll || action.actionType === ActionTypes.WhenAny
      ? (action.compoundActions ?? []).flatMap(open)
      : [action];
  return state.actions.flat().flatMap(open);
}

/** An action's input as JSON text, as the host passes it on: the library sends a string input already JSON-encoded. */
export function inputText(action: Action): string {
  return typeof action.input === 'string' ? action.input : JSON.stringify(action.input ?? null);
}

/** The label before the orchestrator state in a failed orchestrator's error message. */
const OUT_OF_PROC_DATA = '$OutOfProcData$:';

/** The orchestrator state a failed orchestrator carries in its error message, and the message before it. */
export function stateOfFailure(message: string): { message: string; state?: OrchestratorState } {
  const at = message.indexOf(OUT_OF_PROC_DATA);
  if (at < 0) return { message };
  try {
    return { message: message.slice(0, at).trim(), state: JSON.parse(message.slice(at + OUT_OF_PROC_DATA.length)) as OrchestratorState };
  } catch {
    return { message };
  }
}

/** The delay before the next attempt of an activity with retry options, as the Durable Task Framework computes it. */
export function retryDelayMs(options: RetryOptions, failedAttempt: number): number {
  const next = options.firstRetryIntervalInMilliseconds * (options.backoffCoefficient ?? 1) ** (failedAttempt - 1);
  const longest = options.maxRetryIntervalInMilliseconds ?? 0;
  return longest > 0 ? Math.min(next, longest) : next;
}
