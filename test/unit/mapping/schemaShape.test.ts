import { z } from 'zod';
import { MAPPING_SCHEMAS } from '../../../src/mapping/schemas';
import { ANY, shapeOf, type Shape } from '../../../src/mapping/schemaShape';
import { confirmationModelSchema } from '../../../src/templates/confirmationModel';

/**
 * What zod's own JSON Schema output says of a schema, read the way mappings read shapes: the
 * reference the walk over zod's definitions must agree with.
 */
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
    case 'object':
      if (schema.properties === undefined) return ANY;
      return {
        kind: 'object',
        fields: new Map(
          Object.entries(schema.properties).map(([name, field]) => [
            name,
            { shape: fromJsonSchema(field), required: (schema.required ?? []).includes(name) },
          ]),
        ),
      };
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

const byJsonSchema = (schema: z.ZodType): Shape => fromJsonSchema(z.toJSONSchema(schema, { unrepresentable: 'any' }) as JsonSchema);

describe('the shape of a schema, from zod’s definitions', () => {
  it.each(Object.entries({ ...MAPPING_SCHEMAS, 'confirmation-model': confirmationModelSchema }))(
    'agrees with zod’s JSON Schema for %s',
    (_name, schema) => {
      expect(shapeOf(schema)).toEqual(byJsonSchema(schema));
    },
  );

  it('agrees on every kind a schema may be made of', () => {
    const schema = z.object({
      text: z.string().min(1),
      email: z.email(),
      count: z.int(),
      flag: z.boolean().optional(),
      nothing: z.null(),
      one: z.literal('x'),
      oneNumber: z.literal(3),
      several: z.literal(['a', 'b']),
      severalNumbers: z.literal([1, 2]),
      choice: z.enum(['red', 'green']),
      maybe: z.string().nullable(),
      withDefault: z.number().default(0),
      list: z.array(z.object({ sku: z.string(), note: z.string().optional() })),
      pair: z.tuple([z.string(), z.number()]),
      stringOrNull: z.union([z.string(), z.null()]),
      piped: z.string().pipe(z.string().min(2)),
      transformed: z.string().transform((s) => s.length),
      when: z.date(),
      bag: z.record(z.string(), z.number()),
      anything: z.unknown(),
      readOnly: z.object({ a: z.string() }).readonly(),
    });
    expect(shapeOf(schema)).toEqual(byJsonSchema(schema));
  });

  it('takes a union of two kinds as anything (JSON Schema’s list of types named only the first)', () => {
    expect(shapeOf(z.union([z.string(), z.number()]))).toEqual(ANY);
    expect(shapeOf(z.union([z.string(), z.null()]))).toEqual({ kind: 'scalar', type: 'string' });
  });

  it('says what it found: required and optional fields, scalars with their values, lists', () => {
    const shape = shapeOf(
      z.object({ id: z.string(), state: z.enum(['open', 'shipped']), lines: z.array(z.number()), note: z.string().optional() }),
    );
    expect(shape).toEqual({
      kind: 'object',
      fields: new Map([
        ['id', { shape: { kind: 'scalar', type: 'string' }, required: true }],
        ['state', { shape: { kind: 'scalar', type: 'string', values: ['open', 'shipped'] }, required: true }],
        ['lines', { shape: { kind: 'array', items: { kind: 'scalar', type: 'number' } }, required: true }],
        ['note', { shape: { kind: 'scalar', type: 'string' }, required: false }],
      ]),
    });
  });

  it('takes a schema met again inside itself as anything', () => {
    interface Category {
      name: string;
      children: Category[];
    }
    const category: z.ZodType<Category> = z.object({ name: z.string(), children: z.array(z.lazy(() => category)) });
    expect(shapeOf(category)).toEqual({
      kind: 'object',
      fields: new Map([
        ['name', { shape: { kind: 'scalar', type: 'string' }, required: true }],
        ['children', { shape: { kind: 'array', items: ANY }, required: true }],
      ]),
    });
  });
});
