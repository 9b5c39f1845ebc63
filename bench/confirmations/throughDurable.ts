import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalStack } from '../../local/stack/LocalStack';
import { createQueueSender } from '../../src/composition/serviceBusClients';
import { QueueNames } from '../../src/config/queues';
import { loadSettings } from '../../src/config/settings';
import { confirmationIdOf } from '../../src/domain/confirmation';
import { closedLoop, type ClosedLoopResult } from '../closedLoop';
import { bothPhases, CpuMeter, type CpuShare } from '../cpuTime';
import { logWritten, storageCallsPerOrder, storageMarks, type StorageCalls } from '../pipeline/storageCalls';
import { benchRequest } from './benchRequests';
import { ConfirmedSubscriber } from './confirmedSubscriber';

export interface ConfirmationLoopOptions {
  confirmations: number;
  concurrency: number;
  warmup: number;
  /** Log Azurite's requests and count them per timed confirmation (slows Azurite: not for timed runs). */
  countStorageCalls?: boolean;
}

export interface ConfirmationLoopResult extends ClosedLoopResult {
  storageCallsPerConfirmation?: StorageCalls;
  /** CPU time of each process of the path during the timed confirmations (Linux). */
  cpu: CpuShare[];
  mailsPerConfirmation: number;
}

/** Longest a confirmation may take before the run is called failed. */
export const CONFIRMATION_TIMEOUT_MS = 60_000;

/**
 * The real thing: the whole local stack as `npm start` runs it. One confirmation = its request put
 * on `confirmations` (as the integrator does once the ERP holds the order) → the orchestration's
 * three branches done and concluded (OrderConfirmed delivered to a subscriber of order-lifecycle).
 */
export async function throughDurable(options: ConfirmationLoopOptions, run: string): Promise<ConfirmationLoopResult> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'order-hub-bench-'));
  const debugLog = options.countStorageCalls === true ? path.join(dataDir, 'azurite-debug.log') : undefined;
  const subscriber = new ConfirmedSubscriber();
  await subscriber.listen();
  const stack = await LocalStack.start({
    ports: 'free',
    dataDir: path.join(dataDir, 'azurite'),
    ...(debugLog === undefined ? {} : { azuriteDebugLog: debugLog }),
    hostEnv: { HUB_HOST_QUIET: '1' },
    lifecycleSubscriptions: [{ name: 'bench', endpoint: subscriber.endpoint, includedEventTypes: ['OrderHub.OrderConfirmed'] }],
    log: (line) => (/error|fail/i.test(line) ? console.error(line) : undefined),
  });
  const sender = createQueueSender(loadSettings(stack.settings));
  const cpu = new CpuMeter({
    'Functions host': stack.hostPid,
    Azurite: stack.azurite.pid,
    'bench process (sandboxes, Event Grid, Service Bus namespace)': process.pid,
  });
  let n = 0;
  let result: ClosedLoopResult;
  try {
    result = await closedLoop({
      orders: options.confirmations,
      concurrency: options.concurrency,
      warmup: options.warmup,
      timedPhase: bothPhases(debugLog === undefined ? undefined : storageMarks(stack.azurite.connectionString), cpu),
      one: async () => {
        const request = benchRequest(run, n++);
        const id = confirmationIdOf('order', request.subjectId);
        await sender.send(QueueNames.CONFIRMATIONS, { body: { request }, messageId: id, sessionId: request.subjectId });
        await subscriber.confirmed(request.subjectId, CONFIRMATION_TIMEOUT_MS);
      },
    });
  } finally {
    await stack.stopHost();
    await stack.topic.stop();
    await logWritten(debugLog);
    await stack.stop();
    await subscriber.close();
  }
  const calls = storageCallsPerOrder(debugLog, result);
  const mails = stack.mail.mails.length / (options.confirmations + options.warmup);
  rmSync(dataDir, { recursive: true, force: true });
  return {
    ...result,
    cpu: cpu.perConfirmation(result.orders),
    mailsPerConfirmation: mails,
    ...(calls === undefined ? {} : { storageCallsPerConfirmation: calls }),
  };
}
