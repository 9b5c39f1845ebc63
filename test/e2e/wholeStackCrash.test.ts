import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isRunning, json, startStackProcess } from '../support/stackProcess';
import { waitFor } from '../support/stack';

jest.setTimeout(300_000);

type Stats = { salesOrders: number; distinctDocuments: number; duplicates: string[] };

/** Faster retries than the sample's, so that the test ends soon; ERP_LOOKUP_BEFORE_CREATE stays as npm start has it (true). */
const SETTINGS = {
  ORDER_SUBMISSION_LEASE_MS: '4000',
  ERP_TIMEOUT_MS: '1500',
  ORDER_RETRY_BASE_DELAY_MS: '500',
  ORDER_RETRY_MAX_DELAY_MS: '4000',
  ORDER_RETRY_MAX_ATTEMPTS: '15',
};
/** Azurite writes its tables and queues to disk every 5 s: what a crash may take back. */
const AZURITE_LOSS_WINDOW_MS = 5000;

const post = (port: number, route: string, body: unknown): Promise<Response> =>
  fetch(`http://127.0.0.1:${port}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('the whole local stack killed with SIGKILL while orders are in flight', () => {
  it('makes no duplicate ERP order; only orders announced in the last seconds can miss their event, and the ECP announcing them again brings each in once', async () => {
    const data = mkdtempSync(path.join(tmpdir(), 'order-hub-crash-'));
    try {
      const first = await startStackProcess(data, SETTINGS);
      const { ports } = first.running;
      await post(ports.erp, '/_control/faults', { errorRate: 0.3, timeoutAfterCommitRate: 0.05 });
      await post(ports.erp, '/_control/callbacks', { enabled: false });
      await post(ports.ecp, '/_control/faults', { duplicateEventRate: 0.1 });

      // Orders keep coming, about ten a second, until the crash.
      const placedAt = new Map<string, number>();
      const shop = { open: true };
      const shopping = (async (): Promise<void> => {
        while (shop.open) {
          const response = await post(ports.ecp, '/orders', {}).catch(() => undefined);
          if (response?.status === 201) placedAt.set(((await response.json()) as { id: string }).id, Date.now());
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      const erpStats = (): Promise<Stats> => json<Stats>(`http://127.0.0.1:${ports.erp}/_control/stats`);
      await waitFor(
        async () => placedAt.size >= 150 && (await erpStats()).distinctDocuments >= 100,
        120_000,
        '150 orders placed, 100 in the ERP',
      );

      const crashAt = Date.now();
      for (const pid of [first.running.pid, ...first.running.childPids]) process.kill(pid, 'SIGKILL');
      shop.open = false;
      await shopping;
      await first.exited;
      for (const pid of first.running.childPids) await waitFor(() => !isRunning(pid), 5000, `process ${pid} to be gone`);

      const second = await startStackProcess(data, SETTINGS);
      try {
        const erp = `http://127.0.0.1:${second.running.ports.erp}`;
        const stats = (): Promise<Stats> => json<Stats>(`${erp}/_control/stats`);
        const inErp = async (): Promise<Set<string>> =>
          new Set(
            (
              await json<{ value: { externalDocumentNumber: string }[] }>(`${erp}/sales-orders`, {
                headers: { 'x-api-key': 'sandbox-erp-key' },
              })
            ).value.map((o) => o.externalDocumentNumber),
          );
        // Every order announced before Azurite's loss window reaches the ERP; then nothing more moves for a while.
        const announcedBefore = [...placedAt].filter(([, at]) => at < crashAt - AZURITE_LOSS_WINDOW_MS - 1000).map(([id]) => id);
        expect(announcedBefore.length).toBeGreaterThan(20);
        await waitFor(
          async () => {
            const documents = await inErp();
            return announcedBefore.every((id) => documents.has(`ECP-${id}`));
          },
          120_000,
          'every order announced before the loss window in the ERP',
        );
        await new Promise((r) => setTimeout(r, 10_000));

        const afterRestart = await stats();
        const documents = await inErp();
        const missing = [...placedAt.keys()].filter((id) => !documents.has(`ECP-${id}`));
        console.log(
          `placed ${placedAt.size} orders; after the crash and a restart: ${afterRestart.distinctDocuments} in the ERP, ${afterRestart.duplicates.length} duplicates, ` +
            `${missing.length} missing, placed ${missing.map((id) => ((crashAt - placedAt.get(id)!) / 1000).toFixed(1)).join(', ') || '—'} s before the crash`,
        );
        expect(afterRestart.duplicates).toEqual([]);
        expect(afterRestart.salesOrders).toBe(afterRestart.distinctDocuments);
        for (const id of missing) expect(crashAt - placedAt.get(id)!).toBeLessThan(AZURITE_LOSS_WINDOW_MS + 1000);

        // The ECP announces every order it holds again (a webhook resend): the missing come in, none twice.
        // It may hold one more than the shop saw placed: the order whose answer the crash cut off.
        const { announced } = (await (await post(second.running.ports.ecp, '/_control/announce', {})).json()) as { announced: number };
        expect(announced - placedAt.size).toBeGreaterThanOrEqual(0);
        expect(announced - placedAt.size).toBeLessThanOrEqual(1);
        await waitFor(async () => (await stats()).distinctDocuments === announced, 120_000, 'every order in the ERP');
        await new Promise((r) => setTimeout(r, 3000));
        expect(await stats()).toEqual({
          salesOrders: announced,
          distinctDocuments: announced,
          duplicates: [],
          backorderedUnits: 0,
        });
        const inErpAtLast = await inErp();
        expect([...placedAt.keys()].filter((id) => !inErpAtLast.has(`ECP-${id}`))).toEqual([]);
      } finally {
        process.kill(second.child.pid!, 'SIGTERM');
        await second.exited;
      }
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });
});
