import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { confirmationModel } from '../../../src/templates/confirmationModel';
import { loadTemplates } from '../../../src/templates/loadTemplates';
import { TemplateLoadError } from '../../../src/templates/TemplateLoadError';
import { runTemplateTestFile, templateTestFiles } from '../../../src/templates/templateTests';
import type { ConfirmationRequest } from '../../../src/domain/confirmation';

const DIR = path.join(__dirname, '..', '..', '..', 'templates');
const templates = loadTemplates(DIR, 'templates');

const request: ConfirmationRequest = {
  kind: 'order',
  subjectId: '9',
  reference: '#9',
  placedAt: '2026-11-30T10:00:00Z',
  currency: 'EUR',
  customer: { email: 'a@example.com', givenName: 'Ada', familyName: 'L', marketingConsent: false },
  lines: [{ code: 'X', description: 'Thing', quantity: 1, unitPrice: 5, lineTotal: 5 }],
  totals: { gross: 5 },
};

/** A copy of the project's templates with one file rewritten, loaded as the host loads them. */
function loadWith(file: string, text: string): TemplateLoadError {
  const dir = mkdtempSync(path.join(tmpdir(), 'order-hub-templates-'));
  try {
    cpSync(DIR, dir, { recursive: true });
    writeFileSync(path.join(dir, file), text);
    loadTemplates(dir, 'templates');
  } catch (error) {
    if (error instanceof TemplateLoadError) return error;
    throw error;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  throw new Error('the templates loaded');
}

describe('the confirmation mail templates', () => {
  it('has a tests file for every template', () => {
    const tested = templateTestFiles(DIR).map((f) => path.basename(f).replace(/\.tests\.ya?ml$/, ''));
    expect(tested.sort()).toEqual([...templates.names].sort());
  });

  for (const file of templateTestFiles(DIR)) {
    for (const result of runTemplateTestFile(file, path.relative(process.cwd(), file), templates)) {
      it(`${path.basename(file)}: ${result.name}`, () => {
        expect(result.failure).toBeUndefined();
      });
    }
  }

  it('escapes values in the HTML part and leaves the text part as written', () => {
    const mail = templates.render(
      'order-confirmation',
      confirmationModel('c-1', { ...request, reference: '<i>9</i>' }, { name: 'S & Co', email: 's@example.com' }),
    );
    expect(mail.html).toContain('&lt;i&gt;9&lt;/i&gt;');
    expect(mail.html).not.toContain('<i>9</i>');
    expect(mail.subject).toBe('Your order <i>9</i> is confirmed');
    expect(mail.text).toContain('S & Co');
  });

  it('refuses at load a variable the model does not have, with file, line and column and the nearest name', () => {
    const error = loadWith(
      'order-confirmation.text.liquid',
      'Hello\n  {{ customer.givnName }}\n{% for l in lines %}{{ l.sku }}{% endfor %}',
    );
    expect(error.problems).toEqual([
      expect.objectContaining({
        file: 'templates/order-confirmation.text.liquid',
        line: 2,
        column: 6,
        message: 'unknown variable customer.givnName',
        suggestion: 'givenName',
      }),
      expect.objectContaining({ line: 3, message: 'unknown variable l.sku' }),
    ]);
  });

  it('refuses at load a syntax error, an unknown filter and a template without all three parts', () => {
    expect(loadWith('order-confirmation.subject.liquid', 'Order {{ reference | shout }}').message).toContain(
      'templates/order-confirmation.subject.liquid:1:7: undefined filter: shout',
    );
    expect(loadWith('order-confirmation.html.liquid', '<p>{% if reference %}open').message).toMatch(
      /order-confirmation\.html\.liquid:1:\d+: tag .*not closed/,
    );
    expect(loadWith('welcome.subject.liquid', 'Welcome').message).toContain('template welcome has no html part');
  });

  it('does not reach past a value: a number has no fields, a list is looped over', () => {
    const error = loadWith('order-confirmation.text.liquid', '{{ totals.gross.amount }} {{ lines.description }}');
    expect(error.problems.map((p) => p.message)).toEqual([
      'totals.gross is a number: it has no amount',
      'lines is a list: use it in a for loop, or .first, .last, .size',
    ]);
  });
});
