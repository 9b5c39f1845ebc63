import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runMappingTestFile } from '../../../src/mapping/mappingTests';
import { projectMappings } from '../../support/mappings';

describe('a tests file that is not valid YAML', () => {
  it('is reported at the line and column where it breaks', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'order-hub-mapping-tests-'));
    const file = path.join(dir, 'canonical-to-erp-sales-order.tests.yaml');
    writeFileSync(file, 'mapping: canonical-to-erp-sales-order\ncases:\n  - name: one\n    input: {}\n     expect: {}\n');

    const [result] = runMappingTestFile(file, 'mappings/canonical-to-erp-sales-order.tests.yaml', projectMappings);

    expect(result).toMatchObject({ passed: false, line: 5 });
    expect(result?.failure).toBe(
      'mappings/canonical-to-erp-sales-order.tests.yaml:5:1: not valid YAML: All mapping items must start at the same column',
    );
  });
});
