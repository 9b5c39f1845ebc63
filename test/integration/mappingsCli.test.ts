import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

jest.setTimeout(60_000);

const ROOT = path.join(__dirname, '..', '..');
const ERP_MAPPING = readFileSync(path.join(ROOT, 'mappings', 'canonical-to-erp-sales-order.yaml'), 'utf8');
const ERP_VERSION = /^version: (\d+)$/m.exec(ERP_MAPPING)?.[1];
/** 1-based line of the first line of `text` containing `part`. */
const lineOf = (text: string, part: string): number => text.split('\n').findIndex((line) => line.includes(part)) + 1;

/** Runs `npx hub ...` (bin/hub.js) in `cwd`; returns its exit code and output. */
function hub(args: string[], cwd: string, env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'hub.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npx hub mappings, for integration engineers', () => {
  let work: string;
  beforeEach(() => {
    work = mkdtempSync(path.join(tmpdir(), 'order-hub-cli-'));
    cpSync(path.join(ROOT, 'mappings'), path.join(work, 'mappings'), { recursive: true });
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  const edit = (file: string, from: string, to: string): void => {
    const full = path.join(work, 'mappings', file);
    const text = readFileSync(full, 'utf8');
    if (!text.includes(from)) throw new Error(`${from} not in ${file}`);
    writeFileSync(full, text.replace(from, to));
  };

  it('check: lists the mappings with their versions', () => {
    const { status, stdout } = hub(['mappings', 'check'], work);
    expect(status).toBe(0);
    expect(stdout).toMatch(new RegExp(`canonical-to-erp-sales-order@${ERP_VERSION}#[0-9a-f]{8}\\s+canonical-order → erp-sales-order`));
    expect(stdout).toContain('4 mappings OK');
  });

  it('check: a typo fails with file, line, column, field and a suggestion', () => {
    edit('canonical-to-erp-sales-order.yaml', "itemNo: lookup('items', sku)", "itemNo: lookup('items', skuu)");
    const { status, stderr } = hub(['mappings', 'check'], work);
    expect(status).toBe(1);
    const line = lineOf(ERP_MAPPING, "itemNo: lookup('items', sku)");
    expect(stderr).toContain(
      `mappings/canonical-to-erp-sales-order.yaml:${line}:31: lines.itemNo: the source has no field 'skuu' (did you mean 'sku'?)`,
    );
  });

  it('test: prints pass and fail per case, with a diff for a failure', () => {
    edit('lookups/sku-items.csv', 'MUG-LOGO,10030', 'MUG-LOGO,10031');
    const { status, stdout } = hub(['mappings', 'test', 'canonical-to-erp-sales-order'], work);
    expect(status).toBe(1);
    expect(stdout).toContain('✗ a three-line order to France  (line 3)');
    expect(stdout).toMatch(/- +"itemNo": "10030",\n\s+\+ +"itemNo": "10031",/);
    expect(stdout).toContain('✓ the order date is the day in Paris, summer time included');
    const cases =
      readFileSync(path.join(ROOT, 'mappings', 'canonical-to-erp-sales-order.tests.yaml'), 'utf8').match(/^ {2}- name:/gm)?.length ?? 0;
    expect(stdout).toContain(`${cases - 1} passed, 1 failed`);
  });

  it('run: prints the mapped output, or the errors with their fields', () => {
    const ok = hub(['mappings', 'run', 'canonical-to-erp-sales-order', 'mappings/fixtures/canonical-order.json'], work);
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual(
      JSON.parse(readFileSync(path.join(work, 'mappings', 'fixtures', 'erp-sales-order.json'), 'utf8')),
    );

    const order = JSON.parse(readFileSync(path.join(work, 'mappings', 'fixtures', 'canonical-order.json'), 'utf8')) as {
      lines: { sku: string }[];
    };
    order.lines[0]!.sku = 'NO-SUCH-SKU';
    writeFileSync(path.join(work, 'unknown-sku.json'), JSON.stringify(order));
    const failed = hub(['mappings', 'run', 'canonical-to-erp-sales-order', 'unknown-sku.json'], work);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain(`MAPPING.UNKNOWN_SKU: canonical-to-erp-sales-order@${ERP_VERSION}#`);
    expect(failed.stderr).toContain("lines[0].itemNo: 'NO-SUCH-SKU' is not in lookup table 'items' (mappings/lookups/sku-items.csv)");

    writeFileSync(path.join(work, 'broken.json'), '{\n  "orderId": "1",\n  oops\n}');
    expect(hub(['mappings', 'run', 'canonical-to-erp-sales-order', 'broken.json'], work).stderr).toContain(
      'broken.json:3:3: not valid JSON',
    );
  });

  it('the Functions host refuses to start with a broken mapping, naming file and line', () => {
    edit('lookups/web-customers.csv', 'FR,WEB-FR', 'FR,WEB-FR\nGB,WEB-GB2');
    const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'local', 'host', 'main.ts')], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
      env: {
        ...process.env,
        ...(JSON.parse(readFileSync(path.join(ROOT, 'local.settings.sample.json'), 'utf8')) as { Values: Record<string, string> }).Values,
        MAPPINGS_DIR: path.join(work, 'mappings'),
        HUB_HOST_PORT: '0',
      },
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('The Functions host could not start: mappings could not be loaded');
    expect(result.stderr).toMatch(/lookups\/web-customers\.csv:\d+:1: lookups\.webCustomers: duplicate key 'GB' \(first at line \d+\)/);
  });
});
