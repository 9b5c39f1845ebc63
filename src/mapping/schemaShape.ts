import { z } from 'zod';

/** The shape of data as far as a mapping needs it: which fields exist, and of what kind. */
export type Shape =
  | { kind: 'object'; fields: ReadonlyMap<string, { shape: Shape; required: boolean }> }
  | { kind: 'array'; items: Shape }
  | { kind: 'scalar'; type: ScalarType; values?: readonly unknown[] }
  | { kind: 'any' };

export type ScalarType = 'string' | 'number' | 'boolean' | 'null';

export const ANY: Shape = { kind: 'any' };

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
}

function fromJsonSchema(schema: JsonSchema): Shape {
  const alternatives = (schema.anyOf ?? schema.oneOf)?.filter((s) => s.type !== 'null');
  if (alternatives !== undefined) return alternatives.length === 1 && alternatives[0] !== undefined ? fromJsonSchema(alternatives[0]) : ANY;
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      if (schema.properties === undefined) return ANY;
      const required = new Set(schema.required ?? []);
      const fields = new Map(
        Object.entries(schema.properties).map(([name, field]) => [name, { shape: fromJsonSchema(field), required: required.has(name) }]),
      );
      return { kind: 'object', fields };
    }
    case 'array':
      return { kind: 'array', items: schema.items === undefined ? ANY : fromJsonSchema(schema.items) };
    case 'string':
    case 'boolean':
    case 'null':
      return {
        kind: 'scalar',
        type,
        ...(schema.enum ? { values: schema.enum } : schema.const !== undefined ? { values: [schema.const] } : {}),
      };
    case 'number':
    case 'integer':
      return { kind: 'scalar', type: 'number', ...(schema.const !== undefined ? { values: [schema.const] } : {}) };
    default:
      return ANY;
  }
}

/** The shape of what a zod schema accepts. */
export function shapeOf(schema: z.ZodType): Shape {
  return fromJsonSchema(z.toJSONSchema(schema, { unrepresentable: 'any' }) as JsonSchema);
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
