import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalStack, type LocalStackOptions } from '../../local/stack/LocalStack';

/** Settings that make retries and leases short enough for a test run. */
export const FAST_SETTINGS = {
  ORDER_RETRY_BASE_DELAY_MS: '500',
  ORDER_RETRY_MAX_DELAY_MS: '4000',
  ORDER_RETRY_MAX_ATTEMPTS: '12',
  ERP_TIMEOUT_MS: '1500',
  ORDER_SUBMISSION_LEASE_MS: '4000',
  // The ledger alone keeps orders from reaching the ERP twice: the tests show it without the extra look-up.
  ERP_LOOKUP_BEFORE_CREATE: 'false',
};

export interface TestStack {
  stack: LocalStack;
  /** Every line the stack and its processes logged. */
  logs: string[];
  /** Stops the stack; `inspect` sees Azurite's data folder after Azurite has written it out, before it is removed. */
  stop: (inspect?: (dataDir: string) => void | Promise<void>) => Promise<void>;
}

/** The whole local stack on free ports with its own Azurite data folder, removed on stop. */
export async function startTestStack(options: LocalStackOptions = {}): Promise<TestStack> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'order-hub-test-'));
  const lines: string[] = [];
  const stack = await LocalStack.start({
    ports: 'free',
    dataDir,
    settings: { ...FAST_SETTINGS, ...(options.settings ?? {}) },
    hostEnv: { HUB_HOST_QUIET: '1', HUB_QUEUE_POLL_MS: '100', ...(options.hostEnv ?? {}) },
    queueProperties: { lockDurationMs: 5000, ...(options.queueProperties ?? {}) },
    eventGridRetryScale: 0.05,
    log: (line) => lines.push(line),
    ...(options.ports === undefined ? {} : { ports: options.ports }),
    ...(options.lifecycleSubscriptions === undefined ? {} : { lifecycleSubscriptions: options.lifecycleSubscriptions }),
    ...(options.extraProducts === undefined ? {} : { extraProducts: options.extraProducts }),
  });
  return {
    stack,
    logs: lines,
    stop: async (inspect) => {
      try {
        await stack.stop();
        await inspect?.(dataDir);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs a timer function now, as `POST /admin/functions/{name}` with the master key does in Azure (202: started). */
export async function runTimerNow(stack: LocalStack, name: string): Promise<void> {
  const response = await fetch(`${stack.functionsUrl}/admin/functions/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-functions-key': stack.keys.master },
    body: '{"input":""}',
  });
  expect(response.status).toBe(202);
}

/** Sets what the sandbox ERP has on hand of an item at a warehouse (`POST /_control/stock`: an adjustment entry in its ledger). */
export async function setErpStock(erpUrl: string, itemNo: string, location: string, quantity: number): Promise<void> {
  const answer = await fetch(`${erpUrl}/_control/stock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ itemNo, location, quantity }),
  });
  expect(answer.status).toBe(200);
}
