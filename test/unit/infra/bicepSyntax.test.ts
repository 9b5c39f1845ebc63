import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { declarations, nameOf, parseBicep } from '../../support/bicep';

const INFRA = path.join(__dirname, '../../../infra');
const bicepFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? bicepFiles(path.join(dir, entry.name)) : /\.bicep(param)?$/.test(entry.name) ? [path.join(dir, entry.name)] : [],
  );

describe('infra/ parses as Bicep', () => {
  it.each(bicepFiles(INFRA).map((file) => [path.relative(INFRA, file), file]))('%s has no syntax error', async (_name, file) => {
    const parsed = await parseBicep(file);
    expect(parsed.errors.map((e) => `${path.relative(INFRA, file)}:${e.line}:${e.column} cannot read "${e.text}"`)).toEqual([]);
  });

  it('finds the error in a broken file, with its line', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'bicep-')), 'broken.bicep');
    writeFileSync(
      file,
      "param name string\nresource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {\n  name: \n  kind 'StorageV2'\n}\n",
    );
    const parsed = await parseBicep(file);
    expect(parsed.errors.length).toBeGreaterThan(0);
    expect(parsed.errors[0]?.line).toBeGreaterThanOrEqual(3);
  });

  it.each(['main.dev.bicepparam', 'main.prod.bicepparam'])(
    '%s gives every parameter of main.bicep without a default, and only parameters it declares',
    async (paramFile) => {
      const main = await parseBicep(path.join(INFRA, 'main.bicep'));
      const params = await parseBicep(path.join(INFRA, paramFile));
      const declared = declarations(main, 'parameter_declaration');
      // A parameter declaration without a default has only its name and type (and decorators).
      const required = declared
        .filter((p) => p.namedChildren.filter((c) => c !== null && c.type !== 'decorators').length === 2)
        .map(nameOf);
      expect(required).toEqual(expect.arrayContaining(['environmentName', 'alertEmail', 'secrets']));
      expect(required).not.toContain('instanceMemoryMB');
      const given = declarations(params, 'variable_declaration').map(nameOf);
      expect(required.filter((name) => !given.includes(name))).toEqual([]);
      expect(given.filter((name) => !declared.map(nameOf).includes(name))).toEqual([]);
    },
  );
});
