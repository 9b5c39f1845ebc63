import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isRunning, json, portOpen, startStackProcess } from '../support/stackProcess';
import { waitFor } from '../support/stack';

jest.setTimeout(180_000);

/** Short enough that orders whose create a stop cut come back within the test (after a look-up). */
const SETTINGS = { ORDER_SUBMISSION_LEASE_MS: '4000', ERP_TIMEOUT_MS: '3000', ORDER_RETRY_BASE_DELAY_MS: '500' };
const ORDERS = 20;

describe('stopping the local stack (npm start) with orders in flight', () => {
  it.each([
    ['SIGINT to its process group (Ctrl-C in a terminal)', 'SIGINT' as const],
    ['SIGTERM to its process group (as systemd or a container runtime sends it)', 'SIGTERM' as const],
  ])('%s: everything stops within 5 s, no process left; after the next start every order reaches the ERP once', async (_what, signal) => {
    const data = mkdtempSync(path.join(tmpdir(), 'order-hub-stop-'));
    try {
      const first = await startStackProcess(data, SETTINGS);
      const { ports } = first.running;
      const erp = `http://127.0.0.1:${ports.erp}`;
      await fetch(`${erp}/_control/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"latencyMs":2000}',
      });
      await Promise.all(
        Array.from({ length: ORDERS }, () =>
          fetch(`http://127.0.0.1:${ports.ecp}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
        ),
      );
      await waitFor(
        async () => (await json<{ creates: number }>(`${erp}/_control/in-flight`)).creates > 0,
        30_000,
        'ERP creates in flight',
      );

      const stoppedAt = Date.now();
      process.kill(-first.child.pid!, signal);
      await first.exited;
      for (const port of Object.values(ports)) await waitFor(async () => !(await portOpen(port)), 5000, `port ${port} to be free`);
      const stopMs = Date.now() - stoppedAt;
      console.log(`${signal} to the group with ${ORDERS} orders in flight: everything stopped in ${stopMs} ms`);
      expect(stopMs).toBeLessThan(5000);
      for (const pid of first.running.childPids) expect(isRunning(pid)).toBe(false);

      const second = await startStackProcess(data, SETTINGS);
      try {
        const erpAgain = `http://127.0.0.1:${second.running.ports.erp}`;
        type Stats = { salesOrders: number; distinctDocuments: number; duplicates: string[] };
        await waitFor(
          async () => (await json<Stats>(`${erpAgain}/_control/stats`)).distinctDocuments === ORDERS,
          60_000,
          'every order in the ERP',
        );
        expect(await json<Stats>(`${erpAgain}/_control/stats`)).toMatchObject({ salesOrders: ORDERS, duplicates: [] });
      } finally {
        process.kill(second.child.pid!, 'SIGTERM');
        await second.exited;
      }
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });

  it('the stack killed outright (SIGKILL): the host and Azurite notice and leave within seconds', async () => {
    const data = mkdtempSync(path.join(tmpdir(), 'order-hub-kill-'));
    try {
      const stack = await startStackProcess(data, SETTINGS);
      process.kill(stack.child.pid!, 'SIGKILL');
      await stack.exited;
      for (const pid of stack.running.childPids) await waitFor(() => !isRunning(pid), 5000, `process ${pid} to leave`);
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });
});
