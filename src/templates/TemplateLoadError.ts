import { formatProblem, type MappingProblem } from '../mapping/MappingLoadError';

/** Every problem found while loading the templates; the host refuses to start with any. */
export class TemplateLoadError extends Error {
  constructor(readonly problems: readonly MappingProblem[]) {
    super(`templates could not be loaded:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
    this.name = 'TemplateLoadError';
  }
}
