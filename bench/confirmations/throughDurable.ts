import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { JsonServer } from '../../local/sandboxes/JsonServer';
import { LocalStack } from '../../local/stack/LocalStack';
import { freePort } from '../../local/support/freePort';
import { createQueueSender } from '../../src/composition/createQueueSender';
import { QueueNames } from '../../src/config/queues';
import { loadSettings } from '../../src/config/settings';
import { confirmationIdOf } from '../../src/domain/confirmation';
import { closedLoop, type ClosedLoopResult } from '../closedLoop';
import { logWritten, storageCallsPerOrder, storageMarks, type StorageCalls } from '../pipeline/storageCalls';
import { benchRequest } from './benchRequests';

export interface ConfirmationLoopOptions {
  confirmations: number;
  concurrency: number;
  warmup: number;
  /** Log Azurite's requests and count them per timed confirmation (slows Azurite: not for timed runs). */
  countStorageCalls?: boolean;
}

export interface ConfirmationLoopResult extends ClosedLoopResult {
  storageCallsPerConfirmation?: StorageCalls;
  mailsPerConfirmation: number;
}

/** Longest a confirmation may take before the run is called failed. */
const CONFIRMATION_TIMEOUT_MS = 60_000;

/**
 * The real thing: the whole local stack as `npm start` runs it. One confirmation = its request put
 * on `confirmations` (as the integrator does once the ERP holds the order) → the orchestration's
 * three branches done and concluded (OrderConfirmed received by a subscriber of order-lifecycle).
 */
export async function throughDurable(options: ConfirmationLoopOptions, run: string): Promise<ConfirmationLoopResult> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'order-hub-bench-'));
  const debugLog = options.countStorageCalls === true ? path.join(dataDir, 'azurite-debug.log') : undefined;
  const waiting = new Map<string, () => void>();
  const arrived = new Set<string>();
  const subscriber = new JsonServer().on('POST', /^\/events$/, (req) => {
    for (const event of req.body as { eventType: string; data: { orderId: string } }[]) {
      if (event.eventType !== 'OrderHub.OrderConfirmed') continue;
      const wake = waiting.get(event.data.orderId);
      if (wake === undefined) arrived.add(event.data.orderId);
      else wake();
    }
    return { status: 200 };
  });
  const subscriberPort = await freePort();
  await subscriber.listen(subscriberPort, '127.0.0.1');
  const stack = await LocalStack.start({
    ports: 'free',
    dataDir: path.join(dataDir, 'azurite'),
    ...(debugLog === undefined ? {} : { azuriteDebugLog: debugLog }),
    hostEnv: { HUB_HOST_QUIET: '1' },
    lifecycleSubscriptions: [
      { name: 'bench', endpoint: `http://127.0.0.1:${subscriberPort}/events`, includedEventTypes: ['OrderHub.OrderConfirmed'] },
    ],
    log: (line) => (/error|fail/i.test(line) ? console.error(line) : undefined),
  });
  const sender = createQueueSender(loadSettings(stack.settings));
  let n = 0;
  let result: ClosedLoopResult;
  try {
    result = await closedLoop({
      orders: options.confirmations,
      concurrency: options.concurrency,
      warmup: options.warmup,
      ...(debugLog === undefined ? {} : { timedPhase: storageMarks(stack.azurite.connectionString) }),
      one: async () => {
        const request = benchRequest(run, n++);
        const done = new Promise<void>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`confirmation ${request.subjectId} not done within ${CONFIRMATION_TIMEOUT_MS} ms`)),
            CONFIRMATION_TIMEOUT_MS,
          );
          waiting.set(request.subjectId, () => {
            clearTimeout(timer);
            waiting.delete(request.subjectId);
            resolve();
          });
        });
        const id = confirmationIdOf('order', request.subjectId);
        await sender.send(QueueNames.CONFIRMATIONS, { body: { request }, messageId: id, sessionId: request.subjectId });
        if (arrived.delete(request.subjectId)) waiting.get(request.subjectId)?.();
        await done;
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
  return { ...result, mailsPerConfirmation: mails, ...(calls === undefined ? {} : { storageCallsPerConfirmation: calls }) };
}
