import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { externalDocumentNumberFor } from '../../src/domain/externalDocumentNumber';
import { LocalStack } from '../../local/stack/LocalStack';
import { closedLoop, type ClosedLoopResult } from '../closedLoop';
import { bothPhases, CpuMeter, type CpuShare } from '../cpuTime';
import { logWritten, storageCallsPerOrder, storageMarks, type StorageCalls } from './storageCalls';

export interface LoopOptions {
  orders: number;
  concurrency: number;
  warmup: number;
  /** Look every order up in the ERP before creating it (ERP_LOOKUP_BEFORE_CREATE). @default false */
  lookUpBeforeCreate?: boolean;
  /** The sandbox ERP takes this long to answer each call (a real ERP's API takes 50–300 ms). @default 0 */
  erpLatencyMs?: number;
  /** Log Azurite's requests and count them per timed order (slows Azurite: not for timed runs). */
  countStorageCalls?: boolean;
  /** Another host.json for the host (other Service Bus concurrency). */
  hostJsonPath?: string;
}

export interface LoopResult extends ClosedLoopResult {
  storageCallsPerOrder?: StorageCalls;
  /** CPU time per timed order, by process: where the cost goes when every process shares the cores. */
  cpu?: CpuShare[];
}

/** Longest an order may take before the run is called failed (an order lost, or stuck). */
const ORDER_TIMEOUT_MS = 60_000;

/**
 * The real thing: the whole local stack as `npm start` runs it, with the app's default settings
 * (look-up before create only when asked) and no faults. One order = placed in the sandbox ECP →
 * its sales order created in the sandbox ERP.
 */
export async function throughLocalRuntime(options: LoopOptions): Promise<LoopResult & { duplicates: number }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'order-hub-bench-'));
  const debugLog = options.countStorageCalls === true ? path.join(dataDir, 'azurite-debug.log') : undefined;
  const stack = await LocalStack.start({
    ports: 'free',
    dataDir: path.join(dataDir, 'azurite'),
    ...(debugLog === undefined ? {} : { azuriteDebugLog: debugLog }),
    hostEnv: { HUB_HOST_QUIET: '1', ...(options.hostJsonPath === undefined ? {} : { HUB_HOST_JSON: options.hostJsonPath }) },
    settings: { ERP_LOOKUP_BEFORE_CREATE: String(options.lookUpBeforeCreate ?? false) },
    log: (line) => (/error|fail/i.test(line) ? console.error(line) : undefined),
  });
  // The ERP's status callbacks are another flow (bench:callbacks); the floor makes none either.
  if (stack.erp.lives !== undefined) stack.erp.lives.settings = { ...stack.erp.lives.settings, enabled: false };
  stack.erp.faults = { ...stack.erp.faults, latencyMs: options.erpLatencyMs ?? 0 };
  const arrived = new Set<string>();
  const waiting = new Map<string, () => void>();
  const unsubscribe = stack.erp.onCreated((salesOrder) => {
    const wake = waiting.get(salesOrder.externalDocumentNumber);
    if (wake === undefined) arrived.add(salesOrder.externalDocumentNumber);
    else wake();
  });
  const cpu = new CpuMeter({
    'Functions host': stack.hostPid,
    Azurite: stack.azurite.pid,
    'bench process (sandboxes, Event Grid, Service Bus namespace)': process.pid,
  });
  let result: ClosedLoopResult;
  try {
    result = await closedLoop({
      ...options,
      timedPhase: bothPhases(debugLog === undefined ? undefined : storageMarks(stack.azurite.connectionString), cpu),
      one: async () => {
        const order = await stack.ecp.placeOrder();
        const document = externalDocumentNumberFor(order.id);
        if (arrived.delete(document)) return;
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`order ${order.id} did not reach the ERP within ${ORDER_TIMEOUT_MS} ms`)),
            ORDER_TIMEOUT_MS,
          );
          waiting.set(document, () => {
            clearTimeout(timer);
            waiting.delete(document);
            resolve();
          });
        });
      },
    });
  } finally {
    unsubscribe();
    // Nothing but Azurite may go on calling storage while its log is being finished.
    await stack.stopHost();
    await stack.topic.stop();
    await logWritten(debugLog);
    await stack.stop();
  }
  const calls = storageCallsPerOrder(debugLog, result);
  rmSync(dataDir, { recursive: true, force: true });
  return {
    ...result,
    duplicates: stack.erp.stats().duplicates.length,
    cpu: cpu.perConfirmation(result.orders),
    ...(calls === undefined ? {} : { storageCallsPerOrder: calls }),
  };
}
