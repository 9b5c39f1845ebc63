import path from 'node:path';
import { compileMappingFolder, mappingFiles } from '../../../src/mapping/loadMappings';
import { formatProblem } from '../../../src/mapping/MappingLoadError';
import { mappingTestFiles, runMappingTestFile } from '../../../src/mapping/mappingTests';

/** The project's mapping files and the tests beside them, as `npx hub mappings check` and `test` run them. */
const dir = path.join(__dirname, '..', '..', '..', 'mappings');
const { set, problems } = compileMappingFolder(dir, 'mappings');

describe('mappings/', () => {
  it('every mapping file loads', () => {
    expect(problems.map(formatProblem)).toEqual([]);
  });

  it('every mapping has a tests file beside it', () => {
    const tested = mappingTestFiles(dir).map((f) => path.basename(f).replace(/\.tests\.ya?ml$/, ''));
    expect(mappingFiles(dir).map((f) => path.basename(f).replace(/\.ya?ml$/, ''))).toEqual(tested);
  });

  for (const file of mappingTestFiles(dir)) {
    describe(path.basename(file), () => {
      const results = runMappingTestFile(file, path.join('mappings', path.basename(file)), set);
      it('has cases', () => expect(results.length).toBeGreaterThan(0));
      for (const result of results) {
        it(`${result.name} (line ${result.line})`, () => {
          if (!result.passed) throw new Error(result.failure);
        });
      }
    });
  }
});
