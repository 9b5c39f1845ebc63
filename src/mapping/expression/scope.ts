import type { Shape } from '../schemaShape';

/** One mapping run over one input. */
export interface Run {
  /** Values of the file's `define:` entries, computed once per run when first used. */
  readonly defined: unknown[];
  rootScope: Scope;
}

/** Where an expression is evaluated: the item being mapped (the input, or an `each` item). */
export interface Scope {
  item: unknown;
  index: number;
  readonly parent: Scope | undefined;
  readonly run: Run;
}

export type Evaluate = (scope: Scope) => unknown;

/** What is known at load time about where an expression will run. */
export interface StaticScope {
  shape: Shape;
  parent: StaticScope | undefined;
  /** True inside `each`, where `$index` and `$parent` exist. */
  inEach: boolean;
}

export const NOT_COMPUTED: unique symbol = Symbol('not computed');

/** The value of `path` (field names) in `value`, or undefined where the path ends early. */
export function readPath(value: unknown, path: readonly (string | number)[]): unknown {
  let current = value;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}
