import { EcpRestClient } from '../../src/adapters/ecp/EcpRestClient';
import { SandboxEcp } from '../../local/sandboxes/ecp/SandboxEcp';
import { freePort } from '../../local/support/freePort';

describe("the ECP's order list, through the hub's client against the sandbox ECP", () => {
  let ecp: SandboxEcp;
  let client: EcpRestClient;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    // Every event lost: the orders are saved and announced to nobody (no topic needed).
    ecp = new SandboxEcp({
      host: '127.0.0.1',
      port,
      apiKey: 'k',
      topicEndpoint: 'http://127.0.0.1:9/topics/t/api/events',
      topicKey: 'k',
      log: () => undefined,
    });
    await ecp.start();
    ecp.faults = { ...ecp.faults, lostEventRate: 1 };
    client = new EcpRestClient({ baseUrl: `http://127.0.0.1:${port}`, apiKey: 'k', timeoutMs: 5000 });
  });
  afterAll(() => ecp.stop());

  it('pages through the orders created or changed since a time, oldest change first, each once; an order whose event was lost is listed', async () => {
    const before = await ecp.placeOrder();
    await new Promise((r) => setTimeout(r, 20));
    const since = new Date();
    const placed = [];
    for (let i = 0; i < 600; i++) placed.push((await ecp.placeOrder()).id);
    expect(ecp.lostEvents.size).toBe(601);

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await client.listChanged(since, cursor);
      seen.push(...page.orders.map((o) => o.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== undefined);
    expect(pages).toBe(3);
    expect(seen).toEqual(placed);
    expect(seen).not.toContain(before.id);
  });

  it('refuses a time it cannot read, with the reason', async () => {
    const answer = await fetch(`http://127.0.0.1:${port}/orders?updatedSince=yesterday`, { headers: { 'x-api-key': 'k' } });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({ error: 'updatedSince must be an ISO date-time' });
  });
});
