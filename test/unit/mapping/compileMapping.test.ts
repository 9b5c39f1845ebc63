import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compileMapping } from '../../../src/mapping/compileMapping';
import { formatProblem } from '../../../src/mapping/MappingLoadError';
import { MappingRunError } from '../../../src/mapping/MappingRunError';
import { ecpOrderFactory } from '../../support/ecpOrderFactory';
import { orderMappings } from '../../support/mappings';

const dir = mkdtempSync(path.join(tmpdir(), 'order-hub-mapping-'));

/** A test mapping from ecp-order to canonical-update (a loosely typed target), with the given lines after its header. */
function compile(body: string, header = 'mapping: m\nversion: 1\nsource: ecp-order\ntarget: canonical-update\n') {
  return compileMapping('mappings/m.yaml', header + body, dir);
}

/** The problems of a mapping, as the CLI prints them. */
function problems(body: string, header?: string): string[] {
  return compile(body, header).problems.map(formatProblem);
}

/** A mapping to the loosely typed canonical update, so a test can map what it likes. */
function run(fields: string, input: unknown = ecpOrderFactory(), extra = ''): unknown {
  const { mapping, problems: found } = compile(
    `${extra}fields:\n  schemaVersion: 1\n  updateId: id\n  orderId: id\n  kind: "'shipped'"\n  occurredAt: createdAt\n${fields}`,
  );
  if (mapping === undefined) throw new Error(found.map(formatProblem).join('\n'));
  return mapping.map(input);
}

describe('compiling a mapping file: problems found at load, with file, line, column and field', () => {
  it('refuses malformed YAML at the line and column where the document breaks', () => {
    // Lines 1–4 are the header; line 7 is indented under `orderId: id` on line 6, which breaks at its value (column 12).
    expect(problems('fields:\n  orderId: id\n   kind: [unclosed\n')[0]).toBe(
      'mappings/m.yaml:6:12: not valid YAML: Nested mappings are not allowed in compact mappings',
    );
    expect(problems('fields:\n  orderId: id\n  orderId: number\n')[0]).toBe('mappings/m.yaml:7:3: not valid YAML: Map keys must be unique');
    expect(problems('fields:\n\torderId: id\n')[0]).toBe('mappings/m.yaml:6:1: not valid YAML: Tabs are not allowed as indentation');
  });

  it('names a path to a field that does not exist, and the near name', () => {
    expect(
      problems('fields:\n  schemaVersion: 1\n  updateId: id\n  orderId: numbr\n  kind: "\'shipped\'"\n  occurredAt: createdAt\n'),
    ).toEqual(["mappings/m.yaml:8:12: orderId: the source has no field 'numbr' (did you mean 'number'?)"]);
  });

  it('names a nested path that does not exist at its position in the expression', () => {
    expect(
      problems(
        'fields:\n  schemaVersion: 1\n  updateId: id\n  orderId: concat(id, customer.emial)\n  kind: "\'shipped\'"\n  occurredAt: createdAt\n',
      ),
    ).toEqual(["mappings/m.yaml:8:32: orderId: customer has no field 'emial' (did you mean 'email'?)"]);
  });

  it('refuses an unknown function, listing the ones there are', () => {
    const [problem] = problems(
      'fields:\n  schemaVersion: 1\n  updateId: id\n  orderId: concatt(id)\n  kind: "\'shipped\'"\n  occurredAt: createdAt\n',
    );
    expect(problem).toMatch(
      /^mappings\/m\.yaml:8:12: orderId: unknown function 'concatt'; the functions are concat, trim, .* \(did you mean 'concat'\?\)$/,
    );
  });

  it('refuses a target field the target schema does not have', () => {
    expect(
      problems(
        'fields:\n  schemaVersion: 1\n  updateId: id\n  orderID: id\n  orderId: id\n  kind: "\'shipped\'"\n  occurredAt: createdAt\n',
      ),
    ).toEqual(["mappings/m.yaml:8:3: orderID: the target has no field 'orderID' (did you mean 'orderId'?)"]);
  });

  it('refuses a mapping that leaves out a required target field', () => {
    expect(problems('fields:\n  schemaVersion: 1\n  updateId: id\n  orderId: id\n  occurredAt: createdAt\n')).toEqual([
      'mappings/m.yaml:6:3: required target field not mapped: kind',
    ]);
  });

  it('refuses a value the schemas say cannot fit, with a hint', () => {
    expect(
      problems('fields:\n  schemaVersion: 1\n  updateId: version\n  orderId: id\n  kind: "\'shipped\'"\n  occurredAt: createdAt\n'),
    ).toEqual(['mappings/m.yaml:7:13: updateId: the target field is a string, and this gives a number: concat(...) makes text']);
  });

  it('refuses definitions that refer to each other in a cycle', () => {
    const found = problems(
      'define:\n  a: $b\n  b: concat($a, id)\nfields:\n  schemaVersion: 1\n  updateId: $a\n  orderId: id\n  kind: "\'shipped\'"\n  occurredAt: createdAt\n',
    );
    expect(found).toContain('mappings/m.yaml:6:6: define.a: definitions refer to each other in a cycle: $a → $b → $a');
  });

  it('refuses a CSV lookup with a duplicate key, naming the CSV line', () => {
    writeFileSync(path.join(dir, 'dup.csv'), 'sku,itemNo\nA,1\nB,2\nA,3\n');
    const found = problems(
      "lookups:\n  items: { csv: dup.csv, key: sku, value: itemNo }\nfields:\n  schemaVersion: 1\n  updateId: lookup('items', id)\n  orderId: id\n  kind: \"'shipped'\"\n  occurredAt: createdAt\n",
    );
    expect(found).toEqual(["mappings/dup.csv:4:1: lookups.items: duplicate key 'A' (first at line 2)"]);
  });

  it('refuses a lookup of a table that is not declared, and a CSV column that is not there', () => {
    writeFileSync(path.join(dir, 'cols.csv'), 'sku,itemNo\nA,1\n');
    expect(
      problems(
        "lookups:\n  items: { csv: cols.csv, key: sku, value: item }\nfields:\n  schemaVersion: 1\n  updateId: lookup('itemz', id)\n  orderId: id\n  kind: \"'shipped'\"\n  occurredAt: createdAt\n",
      ),
    ).toEqual([
      "mappings/cols.csv:1:1: lookups.items: no column 'item' (columns: sku, itemNo)",
      "mappings/m.yaml:9:13: updateId: no lookup table 'itemz' under lookups: (none is declared)",
    ]);
  });

  it('refuses an unknown schema, a missing version and a name unlike the file', () => {
    expect(problems('fields: {}\n', 'mapping: other\nsource: ecp-ordr\ntarget: canonical-update\n')).toEqual([
      "mappings/m.yaml:1:10: the mapping is named 'other' but its file is m.yaml: name them alike",
      'mappings/m.yaml:1:1: version: must be a whole number from 1, raised on every change',
      "mappings/m.yaml:2:9: unknown schema 'ecp-ordr' (the schemas are ecp-order, canonical-order, erp-sales-order, erp-callback, canonical-update, ecp-order-update) (did you mean 'ecp-order'?)",
    ]);
  });

  it.each([
    ["constructor.constructor('return process')()", 'only the mapping functions can be called'],
    ['__proto__', "'__proto__' may not be used in a path"],
    ['this.id', 'a path must start with a field name'],
    ['id | 1', "operator '|' is not part of the mapping language"],
    ['[id, number]', "'ArrayExpression' is not part of the mapping language"],
  ])('runs no code but its own: %s is refused', (expression, reason) => {
    const found = problems(
      `fields:\n  schemaVersion: 1\n  updateId: ${JSON.stringify(expression)}\n  orderId: id\n  kind: "'shipped'"\n  occurredAt: createdAt\n`,
    );
    expect(found.join('\n')).toContain(reason);
  });
});

describe('running a compiled mapping', () => {
  it('sums a list with sum() and counts it with count()', () => {
    const out = run(
      "  payment:\n    fields:\n      amount: sum(lineItems, unitPrice * quantity)\n      currency: currency\n      reference: concat($root.number, '/', count(lineItems))\n",
    );
    expect(out).toMatchObject({ payment: { amount: 43, currency: 'EUR', reference: '#10001/2' } });
  });

  it('maps a list with each:, keeps the items where: allows, and reads $index, $parent and $root inside', () => {
    // ECP order → ERP sales order: the lines come from lineItems, one per item that passes where:.
    const body = [
      'fields:',
      "  externalDocumentNumber: concat('ECP-', id)",
      "  orderDate: date(createdAt, 'yyyy-MM-dd')",
      '  currencyCode: currency',
      '  customerNumber: "\'WEB\'"',
      '  sellTo:',
      '    fields:',
      '      name: customer.lastName',
      '      email: customer.email',
      '  shipTo:',
      '    fields:',
      '      name: shippingAddress.lastName',
      '      address: shippingAddress.line1',
      '      city: shippingAddress.city',
      '      postCode: shippingAddress.postalCode',
      '      countryCode: shippingAddress.country',
      '  shipmentMethodCode: "\'STD\'"',
      '  paymentMethodCode: "\'CARD\'"',
      '  lines:',
      '    each: lineItems',
      '    where: quantity > 1',
      '    fields:',
      '      lineNo: ($index + 1) * 10000',
      "      itemNo: concat(sku, '@', $root.id)",
      "      description: concat(title, ' for ', $parent.customer.lastName)",
      '      quantity: quantity',
      '      unitPrice: unitPrice',
      '      lineAmount: decimal(unitPrice * quantity, 2)',
      '      taxCode: "\'T\'"',
      '  amounts:',
      '    fields:',
      '      totalExclTax: totals.subtotal',
      '      totalTax: totals.tax',
      '      totalInclTax: totals.total',
      '',
    ].join('\n');
    const { mapping, problems: found } = compile(body, 'mapping: m\nversion: 1\nsource: ecp-order\ntarget: erp-sales-order\n');
    if (mapping === undefined) throw new Error(found.map(formatProblem).join('\n'));
    const order = ecpOrderFactory({
      lineItems: [
        { id: 'L1', sku: 'MUG-LOGO', title: 'Mug', quantity: 2, unitPrice: 12.5, taxRate: 0.2 },
        { id: 'L2', sku: 'BOOK-GUIDE', title: 'Guide', quantity: 1, unitPrice: 18, taxRate: 0.055 },
        { id: 'L3', sku: 'CAP-NAVY', title: 'Cap', quantity: 3, unitPrice: 19.9, taxRate: 0.2 },
      ],
    });
    const out = mapping.map(order) as { lines: unknown[] };
    // The guide (quantity 1) is left out by where:; $index is an item's place in the source list, from 0.
    expect(out.lines).toEqual([
      {
        lineNo: 10000,
        itemNo: 'MUG-LOGO@10001',
        description: 'Mug for Lovelace',
        quantity: 2,
        unitPrice: 12.5,
        lineAmount: 25,
        taxCode: 'T',
      },
      {
        lineNo: 30000,
        itemNo: 'CAP-NAVY@10001',
        description: 'Cap for Lovelace',
        quantity: 3,
        unitPrice: 19.9,
        lineAmount: 59.7,
        taxCode: 'T',
      },
    ]);
  });

  it('applies when:, default:, coalesce and the text functions', () => {
    const out = run(
      "  erpOrderNumber:\n    value: customer.phone\n    default: none\n  erpOrderId: coalesce(customer.phone, upper(trim('  so-1 ')))\n  reason:\n    when: customer.acceptsMarketing\n    fields:\n      code: title('mArIe-ANNE curie')\n      text: replace(number, '#', 'No. ')\n",
    );
    expect(out).toMatchObject({ erpOrderNumber: 'none', erpOrderId: 'SO-1', reason: { code: 'Marie-Anne Curie', text: 'No. 10001' } });
  });

  it('leaves out a block whose when: is false', () => {
    const out = run('  reason:\n    when: customer.acceptsMarketing == false\n    fields:\n      code: id\n      text: id\n');
    expect(out).not.toHaveProperty('reason');
  });

  it('throws REQUIRED_MISSING naming the field when a required value is empty', () => {
    expect(() => run('  erpOrderId:\n    value: customer.phone\n    required: true\n')).toThrow(
      expect.objectContaining({
        code: 'MAPPING.REQUIRED_MISSING',
        field: 'erpOrderId',
        message: 'erpOrderId is required, and customer.phone is empty',
      }),
    );
  });

  it('names the list item a runtime error comes from', () => {
    const input = ecpOrderFactory();
    (input.lineItems[1] as unknown as { unitPrice: string }).unitPrice = 'abc';
    let caught: unknown;
    try {
      orderMappings.ecpOrderToCanonical.map(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MappingRunError);
    const { code, field, message } = caught as MappingRunError;
    expect({ code, field, message }).toEqual({
      code: 'MAPPING.FUNCTION_FAILED',
      field: 'lines[1].lineTotal',
      message: `'*' needs numbers, got "abc" and 1`,
    });
  });

  it('formats dates in a time zone', () => {
    const out = run(
      "  erpOrderId: date('2026-03-29T01:30:00Z', 'dd/MM/yyyy HH:mm XXX', 'Europe/Paris')\n  erpOrderNumber: date('2026-03-29T00:30:00Z', 'yyyy-MM-dd HH:mm:ss.SSS XXX', 'America/New_York')\n",
    );
    expect(out).toMatchObject({ erpOrderId: '29/03/2026 03:30 +02:00', erpOrderNumber: '2026-03-28 20:30:00.000 -04:00' });
  });

  it('refuses an unknown time zone and rounding mode at load', () => {
    const found = problems(
      "fields:\n  schemaVersion: 1\n  updateId: date(createdAt, 'yyyy', 'Europe/Parsi')\n  orderId: concat(decimal(1.5, 0, 'bankers'))\n  kind: \"'shipped'\"\n  occurredAt: createdAt\n",
    );
    expect(found).toEqual([
      "mappings/m.yaml:7:13: updateId: unknown time zone 'Europe/Parsi' (use an IANA name such as Europe/Paris, or UTC)",
      "mappings/m.yaml:8:12: orderId: unknown rounding mode 'bankers'; the modes are half-up, half-even, half-down, up, down, ceiling, floor",
    ]);
  });
});
