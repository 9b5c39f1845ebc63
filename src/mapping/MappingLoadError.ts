/** Where in a mapping (or lookup) file something is: 1-based line and column. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

/** One reason a mapping file cannot be loaded, with where it is and, when one is near, a suggestion. */
export interface MappingProblem extends SourcePosition {
  /** The target field (or section) concerned, e.g. `lines.itemNo` or `lookups.items`. */
  field?: string;
  message: string;
  suggestion?: string;
}

export function formatProblem(problem: MappingProblem): string {
  const where = `${problem.file}:${problem.line}:${problem.column}`;
  const field = problem.field === undefined ? '' : `${problem.field}: `;
  const hint = problem.suggestion === undefined ? '' : ` (did you mean '${problem.suggestion}'?)`;
  return `${where}: ${field}${problem.message}${hint}`;
}

/** Every problem found while loading mappings; the host refuses to start with any. */
export class MappingLoadError extends Error {
  constructor(readonly problems: readonly MappingProblem[]) {
    super(`mappings could not be loaded:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
    this.name = 'MappingLoadError';
  }
}
