import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { buildOpsUi } from '../../build/opsUi';
import { NEW_PRODUCT } from '../../local/sandboxes/catalog';
import { externalDocumentNumberFor } from '../../src/domain/externalDocumentNumber';
import { launchChromium } from '../support/chromium';
import { copyOfMappings } from '../support/mappingsCopy';
import { startTestStack, waitFor, type TestStack } from '../support/stack';

/** Screenshots the tests keep: artifacts/dashboard/*.png. */
const ARTIFACTS = path.resolve(__dirname, '..', '..', 'artifacts', 'dashboard');
jest.setTimeout(600_000);

describe('the operators dashboard in chromium', () => {
  const mappings = copyOfMappings();
  let test: TestStack | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const shot = async (name: string) => await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await buildOpsUi();
    browser = await launchChromium();
    test = await startTestStack({ settings: { MAPPINGS_DIR: mappings.dir } });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });
  afterAll(async () => {
    await browser?.close();
    await test?.stop();
  });

  it('searches an order and shows its steps; dry-runs, then replays a group after the lookup is fixed; resolves an entry; shows the stats', async () => {
    const { stack } = test!;
    const ui = `${stack.functionsUrl}/api/ops/ui`;
    const unknown = await Promise.all([1, 2, 3].map(() => stack.ecp.placeOrder({ lines: [{ sku: NEW_PRODUCT.sku, quantity: 1 }] })));
    const normal = await stack.ecp.placeOrder({ lines: [{ sku: 'MUG-LOGO', quantity: 2 }] });
    const inErp = (id: string) => stack.erp.salesOrders.some((o) => o.externalDocumentNumber === externalDocumentNumberFor(id));
    await waitFor(() => inErp(normal.id), 60_000, 'the normal order in the ERP');

    // Without a key the page asks for one; with it, the key leaves the address bar at once.
    await page.goto(`${ui}#/orders`);
    await page.getByLabel('Function key').waitFor();
    await page.goto(`${ui}?code=${encodeURIComponent(stack.functionKey)}#/orders`);
    await page.waitForSelector('table.orders');
    expect(page.url()).not.toContain(stack.functionKey);
    expect(await page.content()).not.toContain(stack.functionKey);

    // Search by id, open the order, see its journey.
    await page.fill('input[name=query]', normal.id);
    await page.click('form.search button[type=submit]');
    await page.waitForSelector(`table.orders a:text-is("${normal.id}")`);
    expect(page.url()).toContain(`#/orders?query=${normal.id}`);
    expect(await page.locator('table.orders').innerText()).not.toContain('@');
    await page.click(`table.orders a:text-is("${normal.id}")`);
    await page.waitForSelector('ol.timeline li');
    const steps = await page.locator('ol.timeline li strong').allInnerTexts();
    expect(steps).toEqual(expect.arrayContaining(['queued', 'submit']));
    expect(await page.locator('dl.facts').first().innerText()).toContain('submitted');
    await shot('order-page');

    // A deep link opens the same page straight away.
    await page.goto('about:blank');
    await page.goto(`${ui}#/orders/${normal.id}`);
    await page.waitForSelector('ol.timeline li');

    // Resolve one parked entry from its order's page, with a reason.
    await waitFor(
      async () =>
        (
          await fetch(`${stack.functionsUrl}/api/ops/failures?code=${encodeURIComponent(stack.functionKey)}`).then(
            (r) => r.json() as Promise<{ totalEntries: number }>,
          )
        ).totalEntries === 3,
      60_000,
      'three parked',
    );
    await page.goto(`${ui}#/orders/${unknown[2]!.id}`);
    await page.waitForSelector('ul.parked li');
    await page.fill('ul.parked input[name=reason]', 'a test order, not to be sent');
    await page.click('ul.parked button:text-is("Dismiss")');
    await page.waitForSelector('ul.parked .badge-dismissed');
    await shot('entry-dismissed');

    // The failures: one group of two open entries; a dry run says they would fail.
    await page.goto(`${ui}#/failures`);
    await page.waitForSelector('article.group');
    expect(await page.locator('article.group .count').innerText()).toBe('2');
    await page.click('article.group button:text-is("Dry run")');
    await page.waitForSelector('.dry-run');
    expect(await page.locator('.dry-run p').first().innerText()).toContain('2 would fail');
    await shot('failures-dry-run-before-fix');

    // The lookup is fixed and the host restarted; the dry run says they would pass; the replay runs.
    mappings.addItem(NEW_PRODUCT.sku, NEW_PRODUCT.itemNo);
    await stack.stopHost();
    await stack.startHost();
    await page.reload();
    await page.waitForSelector('article.group');
    await page.click('article.group button:text-is("Dry run")');
    await page.waitForSelector('.dry-run');
    expect(await page.locator('.dry-run p').first().innerText()).toContain('2 would pass');
    await page.fill('article.group input[name=rate]', '5');
    await page.click('article.group button:text-is("Replay")');
    await page.waitForSelector('progress');
    expect(page.url()).toMatch(/#\/replays\/replay-/);
    await page.waitForSelector('.badge-completed', { timeout: 60_000 });
    expect(await page.locator('.progress-figures').innerText()).toContain('2 of 2 done (100%): 2 replayed, 0 kept');
    await shot('replay-completed');
    await waitFor(() => inErp(unknown[0]!.id) && inErp(unknown[1]!.id), 60_000, 'the replayed orders in the ERP');
    expect(inErp(unknown[2]!.id)).toBe(false);
    expect(stack.erp.stats().duplicates).toEqual([]);

    // The dismissed entry is under resolved, with its reason; the open failures are empty.
    await page.goto(`${ui}#/failures`);
    expect(await page.locator('main p.muted', { hasText: 'parked in' }).innerText()).toContain('0 parked in 0 groups');
    await page.goto(`${ui}#/failures?state=resolved`);
    await page.waitForSelector('article.group');
    expect(await page.locator('article.group .count').innerText()).toBe('1');

    // Stats: states, charts (canvas), parked, dead letters, the replay job.
    await page.goto(`${ui}#/stats`);
    await page.waitForSelector('.card[data-state=submitted] .figure');
    await page.waitForSelector('.chart canvas');
    expect(await page.locator('.card[data-state=submitted] .figure').innerText()).toBe('3');
    expect(await page.locator('.chart canvas').count()).toBe(2);
    // The replayed orders count too: they learn when they were placed once they map.
    expect(await page.locator('.card', { hasText: 'p95' }).innerText()).toContain('(3 orders)');
    await page.waitForSelector('table.jobs a');
    await shot('stats');

    // Stock: a delta sync asked for from the page lands in the runs; a SKU's figures, in step.
    await page.goto(`${ui}#/stock`);
    await page.click('button:text-is("Delta sync now")');
    await page.waitForSelector('td:text-is("delta")');
    expect(await page.locator('tbody tr', { hasText: 'delta' }).first().locator('.badge').innerText()).toBe('Success');
    await page.fill('input[aria-label=SKU]', 'MUG-LOGO');
    await page.click('button:text-is("Show")');
    await page.waitForSelector('.badge-inStep');
    expect(page.url()).toMatch(/#\/stock\?sku=MUG-LOGO/);
    const main = await page.locator('tbody tr', { hasText: 'main' }).innerText();
    expect(main).toMatch(/main \(MAIN\)/);
    expect(await page.locator('.badge-inStep').count()).toBe(2);
    await shot('stock');
  });
});
