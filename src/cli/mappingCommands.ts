import path from 'node:path';
import type { Command } from 'commander';
import { HubError } from '../domain/HubError';
import { describeIssues } from '../domain/validate';
import { compileMappingFolder, type MappingSet } from '../mapping/loadMappings';
import { formatProblem } from '../mapping/MappingLoadError';
import { mappingTestFiles, runMappingTestFile, type MappingTestResult } from '../mapping/mappingTests';
import { mappingLabel, runMapping } from '../mapping/runMapping';
import { readJsonFile } from './readJsonFile';

interface DirOption {
  dir: string;
}

/** Compiles the folder; prints every problem and returns undefined when there are any. */
function compileOrReport(dir: string): MappingSet | undefined {
  const shown = path.relative(process.cwd(), path.resolve(dir)) || '.';
  const { set, problems } = compileMappingFolder(path.resolve(dir), shown);
  for (const problem of problems) console.error(formatProblem(problem));
  if (problems.length > 0) {
    console.error(`${problems.length} problem${problems.length === 1 ? '' : 's'} in ${shown}`);
    process.exitCode = 1;
    return undefined;
  }
  return set;
}

/** The tests files `which` names: all, a tests file, a mapping file or a mapping name. */
function testFilesFor(dir: string, which: string | undefined): string[] {
  const all = mappingTestFiles(path.resolve(dir));
  if (which === undefined) return all;
  const name = path.basename(which).replace(/(\.tests)?\.ya?ml$/, '');
  const found = all.filter((f) => path.basename(f).replace(/\.tests\.ya?ml$/, '') === name);
  if (found.length === 0) throw new Error(`no tests for '${which}' in ${dir} (tests files are <mapping>.tests.yaml)`);
  return found;
}

function printResults(file: string, results: MappingTestResult[]): void {
  console.log(file);
  for (const r of results) {
    console.log(`  ${r.passed ? '✓' : '✗'} ${r.name}${r.passed ? '' : `  (line ${r.line})`}`);
    if (r.failure !== undefined) console.log(r.failure.replace(/^/gm, '      '));
  }
}

/** `npx hub mappings check | test [file] | run <mapping> <input.json>`: mapping files without writing code. */
export function registerMappingCommands(program: Command): void {
  const mappings = program
    .command('mappings')
    .description('check, test and try the mapping files')
    .option('--dir <folder>', 'the mapping files', process.env.MAPPINGS_DIR ?? 'mappings');
  const dirOf = (): string => mappings.opts<DirOption>().dir;

  mappings
    .command('check')
    .description('load every mapping file as the host does at start; print each problem with file:line:column')
    .action(() => {
      const set = compileOrReport(dirOf());
      if (set === undefined) return;
      for (const m of set.all()) console.log(`${m.file}  ${mappingLabel(m)}  ${m.source} → ${m.target}`);
      console.log(`${set.all().length} mappings OK`);
    });

  mappings
    .command('test')
    .description('run the test cases beside the mappings (<mapping>.tests.yaml); a diff for each failure')
    .argument('[file]', 'one mapping (name, mapping file or tests file); all when left out')
    .action((which: string | undefined) => {
      const dir = dirOf();
      const set = compileOrReport(dir);
      if (set === undefined) return;
      let passed = 0;
      let failed = 0;
      for (const file of testFilesFor(dir, which)) {
        const shown = path.relative(process.cwd(), file);
        const results = runMappingTestFile(file, shown, set);
        printResults(shown, results);
        passed += results.filter((r) => r.passed).length;
        failed += results.filter((r) => !r.passed).length;
      }
      console.log(`${passed} passed, ${failed} failed`);
      if (failed > 0) process.exitCode = 1;
    });

  mappings
    .command('run')
    .description('map one input file and print the output, or the errors with their fields')
    .argument('<mapping>', 'mapping name or file, e.g. canonical-to-erp-sales-order')
    .argument('<input>', 'a JSON file of what the mapping maps from')
    .action((which: string, input: string) => {
      const set = compileOrReport(dirOf());
      if (set === undefined) return;
      const name = path.basename(which).replace(/\.ya?ml$/, '');
      const mapping = set.all().find((m) => m.name === name);
      if (mapping === undefined)
        throw new Error(
          `no mapping '${name}' (there are ${set
            .all()
            .map((m) => m.name)
            .join(', ')})`,
        );
      const value = readJsonFile(input);
      const parsed = mapping.sourceSchema.safeParse(value);
      if (!parsed.success) {
        console.error(`${input} is not a valid ${mapping.source}:`);
        for (const issue of describeIssues(parsed.error)) console.error(`  ${issue}`);
        process.exitCode = 1;
        return;
      }
      try {
        console.log(JSON.stringify(runMapping<unknown>(mapping, parsed.data), null, 2));
      } catch (error) {
        if (!HubError.isHubError(error)) throw error;
        console.error(`${error.code}: ${error.message}`);
        for (const detail of error.details) console.error(`  ${detail}`);
        process.exitCode = 1;
      }
    });
}
