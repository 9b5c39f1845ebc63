import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { JsonServer } from '../../local/sandboxes/JsonServer';
import { SandboxEcp } from '../../local/sandboxes/ecp/SandboxEcp';
import { SandboxErp } from '../../local/sandboxes/erp/SandboxErp';
import { freePort } from '../../local/support/freePort';
import { ecpOrderFactory } from '../support/ecpOrderFactory';
import { salesOrderFor } from '../support/mappings';

describe('the sandboxes keep their orders across a restart of npm start', () => {
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
      stateFile: path.join(dir, 'ecp.json'),
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

  it('the ERP still lists its sales orders', async () => {
    const erp = async (): Promise<SandboxErp> => {
      const sandbox = new SandboxErp({
        host: '127.0.0.1',
        port: await freePort(),
        apiKey: 'k',
        stateFile: path.join(dir, 'erp.json'),
        log: quiet,
      });
      await sandbox.start();
      return sandbox;
    };
    const first = await erp();
    const created = await fetch(`${first.url}/sales-orders`, {
      method: 'POST',
      headers: { 'x-api-key': 'k', 'content-type': 'application/json' },
      body: JSON.stringify(salesOrderFor(ecpOrderFactory({ id: '1' }))),
    });
    expect(created.status).toBe(201);
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
