import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { JsonServer } from '../../local/sandboxes/JsonServer';
import { SandboxEcp } from '../../local/sandboxes/ecp/SandboxEcp';
import { SandboxErp } from '../../local/sandboxes/erp/SandboxErp';
import { freePort } from '../../local/support/freePort';
import { ecpOrderFactory } from '../support/ecpOrderFactory';
import { salesOrderFor } from '../support/mappings';

describe('the sandboxes keep their data across a restart of npm start, and a crash', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'order-hub-sandboxes-'));
  const topic = new JsonServer().on('POST', /^\/topics\/t\/api\/events$/, () => ({ status: 200 }));
  const quiet = (): void => undefined;
  let topicPort: number;

  beforeAll(async () => {
    topicPort = await freePort();
    await topic.listen(topicPort, '127.0.0.1');
  });
  afterAll(async () => {
    await topic.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const ecp = async (): Promise<SandboxEcp> => {
    const sandbox = new SandboxEcp({
      host: '127.0.0.1',
      port: await freePort(),
      apiKey: 'k',
      topicEndpoint: `http://127.0.0.1:${topicPort}/topics/t/api/events`,
      topicKey: 'k',
      journal: path.join(dir, 'ecp.jsonl'),
      log: quiet,
    });
    await sandbox.start();
    return sandbox;
  };

  it('the ECP never hands out an order id twice, and still serves the orders placed before', async () => {
    const first = await ecp();
    const before = await first.placeOrder();
    await first.stop();

    const second = await ecp();
    try {
      const after = await second.placeOrder();
      expect(Number(after.id)).toBe(Number(before.id) + 1);
      const response = await fetch(`${second.url}/orders/${before.id}`, { headers: { 'x-api-key': 'k' } });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual(JSON.parse(JSON.stringify(before)));
    } finally {
      await second.stop();
    }
  });

  const erp = async (journal = path.join(dir, 'erp.jsonl')): Promise<SandboxErp> => {
    const sandbox = new SandboxErp({ host: '127.0.0.1', port: await freePort(), apiKey: 'k', journal, log: quiet });
    await sandbox.start();
    return sandbox;
  };
  const createSalesOrder = async (sandbox: SandboxErp, orderId: string): Promise<number> =>
    (
      await fetch(`${sandbox.url}/sales-orders`, {
        method: 'POST',
        headers: { 'x-api-key': 'k', 'content-type': 'application/json' },
        body: JSON.stringify(salesOrderFor(ecpOrderFactory({ id: orderId }))),
      })
    ).status;

  it('the ERP has written a sales order to its journal before it answers: a crash right after loses nothing', async () => {
    const journal = path.join(dir, 'crash-erp.jsonl');
    const first = await erp(journal);
    expect(await createSalesOrder(first, '7')).toBe(201);
    // No stop: what a SIGKILL leaves is what is on disk now.
    const afterCrash = readFileSync(journal, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string; salesOrder?: { externalDocumentNumber: string } });
    // Its seeded stock (ledger entries), then the order.
    expect(afterCrash.filter((c) => c.kind === 'salesOrder').map((c) => c.salesOrder?.externalDocumentNumber)).toEqual(['ECP-7']);
    expect(afterCrash.filter((c) => c.kind === 'ledger').length).toBeGreaterThan(0);
    await first.stop();
  });

  it('reads the data of the earlier state file format, once', async () => {
    const journal = path.join(dir, 'earlier-erp.jsonl');
    const record = {
      id: 'SO-000001',
      number: 'SO000001',
      externalDocumentNumber: 'ECP-9',
      status: 'Open',
      createdAt: '2026-11-01T00:00:00Z',
      order: salesOrderFor(ecpOrderFactory({ id: '9' })),
    };
    writeFileSync(path.join(dir, 'earlier-erp.json'), JSON.stringify({ salesOrders: [record] }));
    const sandbox = await erp(journal);
    try {
      expect(sandbox.salesOrders.map((o) => o.externalDocumentNumber)).toEqual(['ECP-9']);
      expect(existsSync(path.join(dir, 'earlier-erp.json'))).toBe(false);
    } finally {
      await sandbox.stop();
    }
  });

  it('the ERP still lists its sales orders', async () => {
    const first = await erp();
    expect(await createSalesOrder(first, '1')).toBe(201);
    await first.stop();

    const second = await erp();
    try {
      const list = (await (
        await fetch(`${second.url}/sales-orders?externalDocumentNumber=ECP-1`, { headers: { 'x-api-key': 'k' } })
      ).json()) as { value: unknown[] };
      expect(list.value).toHaveLength(1);
    } finally {
      await second.stop();
    }
  });
});
