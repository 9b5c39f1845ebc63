import { z } from 'zod';

/** The shape of data as far as a mapping needs it: which fields exist, and of what kind. */
export type Shape =
  | { kind: 'object'; fields: ReadonlyMap<string, { shape: Shape; required: boolean }> }
  | { kind: 'array'; items: Shape }
  | { kind: 'scalar'; type: ScalarType; values?: readonly unknown[] }
  | { kind: 'any' };

export type ScalarType = 'string' | 'number' | 'boolean' | 'null';

export const ANY: Shape = { kind: 'any' };

/** A schema as zod defines it: its kind and, per kind, what it is made of. */
interface Definition {
  type: string;
  shape?: Record<string, z.core.$ZodType>;
  element?: z.core.$ZodType;
  innerType?: z.core.$ZodType;
  out?: z.core.$ZodType;
  options?: readonly z.core.$ZodType[];
  entries?: Record<string, unknown>;
  values?: readonly unknown[];
}

const WRAPPERS = new Set(['optional', 'nullable', 'nonoptional', 'default', 'prefault', 'catch', 'readonly', 'promise']);

function scalarOf(values: readonly unknown[], withValues: boolean): Shape {
  const types = new Set(values.map((v) => (v === null ? 'null' : typeof v)));
  const [type] = types;
  if (types.size !== 1 || (type !== 'string' && type !== 'number' && type !== 'boolean' && type !== 'null')) return ANY;
  return { kind: 'scalar', type, ...(withValues ? { values } : {}) };
}

/**
 * Walks zod's own definitions (what its JSON Schema output is made from, at a fraction of the cost
 * at start): what a value is after parsing. Optional fields are not required; a default makes one
 * present; null beside one other kind is that kind; other unions, records, dates and transforms are
 * anything. A schema met again inside itself is anything.
 */
function walk(schema: z.core.$ZodType, inProgress: Set<z.core.$ZodType>): Shape {
  if (inProgress.has(schema)) return ANY;
  const def = schema._zod.def as unknown as Definition;
  if (WRAPPERS.has(def.type) && def.innerType !== undefined) return walk(def.innerType, inProgress);
  inProgress.add(schema);
  try {
    switch (def.type) {
      case 'template_literal':
        return { kind: 'scalar', type: 'string' };
      case 'string':
      case 'number':
      case 'boolean':
      case 'null':
        return { kind: 'scalar', type: def.type };
      case 'literal':
        // One value is known exactly; several of one kind only as that kind, except strings and booleans.
        return scalarOf(def.values ?? [], (def.values?.length ?? 0) === 1 || typeof def.values?.[0] !== 'number');
      case 'enum': {
        const values = Object.values(def.entries ?? {});
        return scalarOf(values, typeof values[0] === 'string');
      }
      case 'object': {
        const fields = new Map(
          Object.entries(def.shape ?? {}).map(([name, field]) => [
            name,
            { shape: walk(field, inProgress), required: field._zod.optout === undefined },
          ]),
        );
        return { kind: 'object', fields };
      }
      case 'array':
        return { kind: 'array', items: def.element === undefined ? ANY : walk(def.element, inProgress) };
      case 'tuple':
        return { kind: 'array', items: ANY };
      case 'pipe':
        return def.out === undefined ? ANY : walk(def.out, inProgress);
      case 'lazy':
        return walk((schema._zod as unknown as { innerType: z.core.$ZodType }).innerType, inProgress);
      case 'union': {
        const alternatives = (def.options ?? []).filter((option) => (option._zod.def as unknown as Definition).type !== 'null');
        return alternatives.length === 1 && alternatives[0] !== undefined ? walk(alternatives[0], inProgress) : ANY;
      }
      default:
        return ANY;
    }
  } finally {
    inProgress.delete(schema);
  }
}

const SHAPES = new WeakMap<z.core.$ZodType, Shape>();

/** The shape of what a zod schema gives (each schema walked once). */
export function shapeOf(schema: z.ZodType): Shape {
  let shape = SHAPES.get(schema);
  if (shape === undefined) {
    shape = walk(schema, new Set());
    SHAPES.set(schema, shape);
  }
  return shape;
}

/** A short name of a shape's kind, for messages. */
export function describeShape(shape: Shape): string {
  switch (shape.kind) {
    case 'object':
      return 'an object';
    case 'array':
      return 'a list';
    case 'scalar':
      return shape.type === 'null' ? 'null' : `a ${shape.type}`;
    case 'any':
      return 'anything';
  }
}
