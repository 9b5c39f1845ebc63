import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { compileMapping, type CompiledMapping } from './compileMapping';
import { MappingLoadError, type MappingProblem } from './MappingLoadError';
import { HubMappings } from './mappingNames';

/** Every mapping of a folder, compiled; `get` by name. */
export class MappingSet {
  constructor(private readonly byName: ReadonlyMap<string, CompiledMapping>) {}

  get(name: string): CompiledMapping {
    const mapping = this.byName.get(name);
    if (mapping === undefined) throw new Error(`no mapping '${name}' was loaded`);
    return mapping;
  }

  all(): CompiledMapping[] {
    return [...this.byName.values()];
  }
}

/** The mapping files of a folder: `*.yaml`, leaving out tests (`*.tests.yaml`). */
export function mappingFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f) && !/\.tests\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Compiles every file and reports all problems, or none: `problems` is empty when the set loaded. */
export function compileMappingFolder(dir: string, shownDir = dir): { set: MappingSet; problems: MappingProblem[] } {
  const problems: MappingProblem[] = [];
  const byName = new Map<string, CompiledMapping>();
  for (const file of mappingFiles(dir)) {
    const shown = path.join(shownDir, path.basename(file));
    const result = compileMapping(shown, readFileSync(file, 'utf8'), dir);
    problems.push(...result.problems);
    if (result.mapping !== undefined) byName.set(result.mapping.name, result.mapping);
  }
  for (const required of Object.values(HubMappings)) {
    const mapping = byName.get(required.name);
    const file = path.join(shownDir, `${required.name}.yaml`);
    if (mapping === undefined) {
      if (!problems.some((p) => p.file === file))
        problems.push({
          file,
          line: 1,
          column: 1,
          message: `the hub needs this mapping (${required.source} → ${required.target}) and it is missing`,
        });
    } else if (mapping.source !== required.source || mapping.target !== required.target) {
      problems.push({
        file,
        line: 1,
        column: 1,
        message: `the hub runs this mapping from ${required.source} to ${required.target}, not ${mapping.source} to ${mapping.target}`,
      });
    }
  }
  return { set: new MappingSet(byName), problems };
}

/** The hub's mappings, or a MappingLoadError listing every problem: the host refuses to start with one. */
export function loadMappings(dir: string): MappingSet {
  const { set, problems } = compileMappingFolder(dir, path.relative(process.cwd(), dir) || '.');
  if (problems.length > 0) throw new MappingLoadError(problems);
  return set;
}
