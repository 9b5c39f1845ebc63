import type { Node } from 'yaml';
import { isType } from './expression/compileExpression';
import type { Producer } from './objectBuilder';
import { describeShape, type Shape } from './schemaShape';
import type { YamlSource } from './yamlSource';

/** A value the schemas say cannot fit the target field is a load error, not a 3 a.m. surprise. */
export function checkFits(shape: Shape, target: Shape, source: YamlSource, node: Node | null, field: string): void {
  if (shape.kind === 'any' || target.kind === 'any') return;
  if (target.kind === 'object' || target.kind === 'array') {
    if (shape.kind !== target.kind) {
      const how = target.kind === 'object' ? 'map its fields under fields:' : 'map it with each:';
      source.problem(node, `the target field is ${describeShape(target)} (${how}), and this gives ${describeShape(shape)}`, { field });
    }
    return;
  }
  if (shape.kind !== 'scalar' || (target.type !== shape.type && shape.type !== 'null')) {
    const hint = isType(target, 'string') ? ': concat(...) makes text' : isType(target, 'number') ? ': number(...) makes a number' : '';
    source.problem(node, `the target field is ${describeShape(target)}, and this gives ${describeShape(shape)}${hint}`, { field });
  }
}

/** A fixed value (a YAML number, boolean or `const:` text), checked against the target field. */
export function constant(value: unknown, target: Shape, field: string, source: YamlSource, node: Node | null): Producer {
  if (target.kind === 'scalar') {
    const type = value === null ? 'null' : typeof value;
    if (type !== target.type)
      source.problem(node, `the target field is ${describeShape(target)}, and ${JSON.stringify(value)} is not`, { field });
    else if (target.values !== undefined && !target.values.includes(value))
      source.problem(node, `${JSON.stringify(value)} is not one of ${target.values.map((v) => JSON.stringify(v)).join(', ')}`, { field });
  } else if (target.kind !== 'any') {
    source.problem(node, `the target field is ${describeShape(target)}, not a single value`, { field });
  }
  return () => value;
}
