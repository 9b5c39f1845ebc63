import { spawn } from 'node:child_process';
import path from 'node:path';
import { NEW_PRODUCT } from '../../local/sandboxes/catalog';
import { externalDocumentNumberFor } from '../../src/domain/externalDocumentNumber';
import { startTestStack, waitFor, type TestStack } from '../support/stack';

jest.setTimeout(180_000);
const ROOT = path.join(__dirname, '..', '..');

describe('npx hub for operators, against a running stack', () => {
  let test: TestStack | undefined;
  afterAll(async () => await test?.stop());

  it('finds orders, shows the stats, dismisses and restores an entry, and runs the reconciler, through the same use cases as the API', async () => {
    test = await startTestStack({ settings: { RECONCILER_SCHEDULE: '0 0 0 1 1 *', RECONCILER_SETTLE_MS: '1000' } });
    const { stack } = test;
    /** `npx hub …` with the stack's app settings in its environment, as an operator's shell would have them. */
    const hub = (...args: string[]) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'hub.js'), ...args], {
          cwd: ROOT,
          env: { ...process.env, ...stack.settings },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('exit', (status) => resolve({ status, stdout, stderr }));
      });

    const parked = await stack.ecp.placeOrder({ lines: [{ sku: NEW_PRODUCT.sku, quantity: 1 }] });
    const normal = await stack.ecp.placeOrder({ lines: [{ sku: 'MUG-LOGO', quantity: 1 }] });
    await waitFor(
      () => stack.erp.salesOrders.some((o) => o.externalDocumentNumber === externalDocumentNumberFor(normal.id)),
      60_000,
      'in the ERP',
    );
    await waitFor(async () => (await hub('orders', '--state', 'parked')).stdout.includes(parked.id), 60_000, 'the parked order listed');

    const byId = await hub('orders', '--query', normal.id);
    expect(byId.stdout).toMatch(new RegExp(`^${normal.id}\\s+submitted\\s+received .*ERP SO-`, 'm'));
    expect((await hub('orders', '--state', 'lost')).stderr).toContain('hub orders: state:');

    const stats = await hub('stats');
    expect(stats.stdout).toContain('orders by state: 0 received, 0 submitting, 0 awaitingRetry, 1 submitted, 1 parked');
    expect(stats.stdout).toContain('parked: 1 MAPPING.UNKNOWN_SKU');
    expect(stats.stdout).toMatch(/dead letters: online-orders 0, erp-updates 0, confirmations 0/);

    expect((await hub('parked', 'dismiss', parked.id, '--reason', 'no')).stderr).toContain('say why');
    const dismissed = await hub('parked', 'dismiss', parked.id, '--reason', 'a test order');
    expect(dismissed.stdout).toContain(`dismissed ${parked.id} (online-orders, MAPPING.UNKNOWN_SKU)`);
    expect((await hub('failures')).stdout).toContain('nothing parked');
    expect((await hub('parked', 'restore', parked.id, '--reason', 'not a test order')).stdout).toContain(`restored ${parked.id}`);
    expect((await hub('failures')).stdout).toContain('MAPPING.UNKNOWN_SKU');
    expect((await hub('parked', 'restore', parked.id, '--reason', 'again')).status).toBe(1);

    // An order whose event never came: the reconciler run from the command line queues it.
    stack.ecp.faults = { ...stack.ecp.faults, lostEventRate: 1 };
    const lost = await stack.ecp.placeOrder({ lines: [{ sku: 'MUG-LOGO', quantity: 1 }] });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const run = await hub('reconcile');
    expect(run.stdout).toMatch(new RegExp(`queuedUnseen +${lost.id}: .*no event for it reached the hub`));
    expect(run.stdout).toMatch(/reconciler Success: \d+ ECP orders changed since .*1 never seen, queued/);
    await waitFor(
      () => stack.erp.salesOrders.some((o) => o.externalDocumentNumber === externalDocumentNumberFor(lost.id)),
      60_000,
      'the lost order in the ERP',
    );
    expect((await hub('reconcile', '--runs', '5')).stdout).toMatch(/reconciler Success: .*\(by hub reconcile\)/);
  });
});
