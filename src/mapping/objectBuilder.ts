import type { Scope } from './expression/scope';

/** Produces a field's value for a scope; undefined (or null) leaves the field out. */
export type Producer = (scope: Scope) => unknown;

export interface BuiltField {
  key: string;
  produce: Producer;
  /** The value is this path of one or two field names of the item, checked against the source schema. */
  itemPath?: readonly string[];
  /** The target schema requires the field and nothing makes it conditional: always written. */
  always: boolean;
}

/** Names that are safe as they are in an object literal: the target schemas' field names are. */
const PLAIN_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * A function that builds one object of a mapping's output. V8 builds an object from a literal of
 * fixed shape much faster than one filled key by key in a loop, so when every key is a plain name
 * this generates a function whose object literal holds the fields that are always there; optional
 * fields are added after it, and only when they have a value. The generated code holds nothing but
 * JSON-quoted field names of the target and source schemas (checked against them at load), the
 * indices of the field producers and calls to them; a field that is a plain field of the item is
 * read in place. No text of a mapping's expressions ever becomes code: expressions run as closures.
 */
export function objectBuilder(fields: readonly BuiltField[]): Producer {
  const producers = fields.map((f) => f.produce);
  if (!fields.every((f) => PLAIN_NAME.test(f.key))) return loopBuilder(fields);
  const value = (f: BuiltField, i: number): string => {
    if (f.itemPath === undefined || !f.itemPath.every((n) => PLAIN_NAME.test(n))) return `p[${i}](s)`;
    const [first, second] = f.itemPath.map((n) => `[${JSON.stringify(n)}]`);
    return second === undefined ? `it${first ?? ''}` : `(it${first ?? ''} ?? E)${second}`;
  };
  const always = fields.flatMap((f, i) => (f.always ? [`${JSON.stringify(f.key)}: ${value(f, i)}`] : []));
  const optional = fields.flatMap((f, i) =>
    f.always ? [] : [`v = ${value(f, i)}; if (v !== undefined && v !== null) o[${JSON.stringify(f.key)}] = v;`],
  );
  const body = `"use strict"; const E = {}; return function build(s) { const i0 = s.item; const it = i0 !== null && typeof i0 === 'object' ? i0 : E; const o = { ${always.join(', ')} }; let v; ${optional.join(' ')} return o; };`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- see above: only schema field names and indices
  const make = new Function('p', body) as (p: readonly Producer[]) => Producer;
  return make(producers);
}

/** The same, key by key: for field names that are not plain names. */
function loopBuilder(fields: readonly BuiltField[]): Producer {
  const count = fields.length;
  return (s) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < count; i++) {
      const field = fields[i];
      if (field === undefined) continue;
      const value = field.produce(s);
      if (value !== undefined && value !== null) out[field.key] = value;
    }
    return out;
  };
}
