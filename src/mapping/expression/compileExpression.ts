import jsep from 'jsep';
import { closest, distance } from 'fastest-levenshtein';
import { MappingErrorCodes, MappingRunError } from '../MappingRunError';
import { ANY, describeShape, type Shape } from '../schemaShape';
import { FUNCTIONS, type Arguments } from './functions';
import { readPath, type Evaluate, type Scope, type StaticScope } from './scope';
import { text as textValue, truthy as truthyValue } from './values';

// Module-local aliases for the hot closures (see values.ts).
const text = textValue;
const truthy = truthyValue;

/** An expression ready to run, and the shape of what it yields as far as the schemas tell. */
export interface Compiled {
  evaluate: Evaluate;
  shape: Shape;
  /** Set for a literal: its value, so that operators can fold it in. */
  constant?: { value: unknown };
  /** Set for a path of one or two field names of the current item that the source schema has. */
  itemPath?: readonly string[];
}

/** What compiling an expression needs from the mapping around it. */
export interface ExpressionContext {
  /** The target field the expression produces, for messages: `lines.itemNo`. */
  readonly field: string;
  /** Records a load problem; `offset` is a character index in the expression text. */
  problem(message: string, options?: { offset?: number; suggestion?: string }): void;
  /** A `define:` entry by name: compiled, or undefined when there is none. */
  definition(name: string): Compiled | undefined;
  definitionNames(): string[];
  /** A declared lookup: key → value, or undefined when there is no such table. */
  lookup(name: string): ((key: unknown, field: string) => unknown) | undefined;
  lookupNames(): string[];
}

/** Names no path may use, whatever the schema says. */
const FORBIDDEN_NAMES = new Set(['__proto__', 'prototype', 'constructor']);
const STRING: Shape = { kind: 'scalar', type: 'string' };
const NUMBER: Shape = { kind: 'scalar', type: 'number' };
const BOOLEAN: Shape = { kind: 'scalar', type: 'boolean' };

const FAILED: Compiled = { evaluate: () => undefined, shape: ANY };
const ITEM: Evaluate = (s) => s.item;

export function isType(shape: Shape, type: 'string' | 'number' | 'boolean'): boolean {
  return shape.kind === 'scalar' && shape.type === type;
}

/** Parses and compiles one expression (no eval: the syntax tree becomes closures). */
export function compileExpression(text: string, scope: StaticScope, context: ExpressionContext): Compiled {
  let tree: jsep.Expression;
  try {
    tree = jsep(text);
  } catch (error) {
    const { index, description } = error as { index?: number; description?: string };
    context.problem(`cannot read the expression: ${description ?? String(error)}`, index === undefined ? {} : { offset: index });
    return FAILED;
  }
  return new ExpressionCompiler(text, context).compile(tree, scope);
}

export class ExpressionCompiler {
  constructor(
    private readonly text: string,
    readonly context: ExpressionContext,
  ) {}

  problem(message: string, node?: jsep.Expression, suggestion?: string): Compiled {
    const offset = node === undefined ? undefined : this.offsetOf(node);
    this.context.problem(message, { ...(offset === undefined ? {} : { offset }), ...(suggestion === undefined ? {} : { suggestion }) });
    return FAILED;
  }

  /** Where a node's text starts (jsep keeps no positions: the first occurrence of its leading name is close enough). */
  private offsetOf(node: jsep.Expression): number | undefined {
    const name =
      node.type === 'Identifier'
        ? (node as jsep.Identifier).name
        : node.type === 'MemberExpression'
          ? (node as jsep.MemberExpression & { property: jsep.Identifier }).property.name
          : undefined;
    if (typeof name !== 'string') return undefined;
    const at = this.text.indexOf(name);
    return at < 0 ? undefined : at;
  }

  compile(node: jsep.Expression, scope: StaticScope): Compiled {
    switch (node.type) {
      case 'Literal':
        return this.literal(node as jsep.Literal);
      case 'Identifier':
      case 'MemberExpression':
        return this.path(node, scope);
      case 'CallExpression':
        return this.call(node as jsep.CallExpression, scope);
      case 'BinaryExpression':
        return this.binary(node as jsep.BinaryExpression, scope);
      case 'UnaryExpression':
        return this.unary(node as jsep.UnaryExpression, scope);
      case 'ConditionalExpression':
        return this.conditional(node as jsep.ConditionalExpression, scope);
      case 'Compound':
        return this.problem('one expression per field: remove the extra text (a missing operator or comma?)');
      default:
        return this.problem(`'${node.type}' is not part of the mapping language`);
    }
  }

  private literal(node: jsep.Literal): Compiled {
    const value = node.value;
    if (value instanceof RegExp) return this.problem('regular expressions are not part of the mapping language');
    const shape: Shape =
      typeof value === 'string' ? STRING : typeof value === 'number' ? NUMBER : typeof value === 'boolean' ? BOOLEAN : ANY;
    return { evaluate: () => value, shape, constant: { value } };
  }

  /** `a.b[0].c`, `$index`, `$parent.x`, `$root.x`, `$name` (a definition). */
  private path(node: jsep.Expression, scope: StaticScope): Compiled {
    const segments: { name: string | number; node: jsep.Expression }[] = [];
    let current = node;
    while (current.type === 'MemberExpression') {
      const member = current as jsep.MemberExpression;
      const property = member.property;
      if (!member.computed && property.type === 'Identifier')
        segments.unshift({ name: (property as jsep.Identifier).name, node: property });
      else if (member.computed && property.type === 'Literal' && typeof (property as jsep.Literal).value === 'number')
        segments.unshift({ name: (property as jsep.Literal).value as number, node: property });
      else return this.problem('only field names and [n] with a number may follow a path');
      current = member.object;
    }
    if (current.type !== 'Identifier') return this.problem('a path must start with a field name, $root, $parent, $index or a definition');
    const head = (current as jsep.Identifier).name;

    let base: Evaluate;
    let shape: Shape;
    let staticScope: StaticScope = scope;
    if (head === '$index') {
      if (!scope.inEach) return this.problem('$index exists only inside each', current);
      base = (s) => s.index;
      shape = NUMBER;
    } else if (head === '$root') {
      while (staticScope.parent !== undefined) staticScope = staticScope.parent;
      base = (s) => s.run.rootScope.item;
      shape = staticScope.shape;
    } else if (head === '$parent') {
      if (scope.parent === undefined) return this.problem('$parent exists only inside each', current);
      staticScope = scope.parent;
      base = (s) => s.parent?.item;
      shape = staticScope.shape;
    } else if (head.startsWith('$')) {
      const name = head.slice(1);
      const definition = this.context.definition(name);
      if (definition === undefined)
        return this.problem(`no definition '${name}' under define:`, current, closestName(name, this.context.definitionNames(), '$'));
      base = definition.evaluate;
      shape = definition.shape;
    } else {
      segments.unshift({ name: head, node: current });
      base = ITEM;
      shape = scope.shape;
    }

    const fromItem = base === ITEM;
    let checked = shape.kind !== 'any';
    const names: (string | number)[] = [];
    for (const segment of segments) {
      if (typeof segment.name === 'string' && FORBIDDEN_NAMES.has(segment.name))
        return this.problem(`'${segment.name}' may not be used in a path`, segment.node);
      if (shape.kind === 'any') checked = false;
      const next = this.child(shape, segment.name, names, segment.node);
      if (next === undefined) return FAILED;
      shape = next;
      names.push(segment.name);
    }
    const plain = names.every((n): n is string => typeof n === 'string');
    const itemPath = fromItem && checked && plain && names.length >= 1 && names.length <= 2 ? { itemPath: names } : {};
    return { evaluate: pathReader(base, names, fromItem), shape, ...itemPath };
  }

  private child(shape: Shape, name: string | number, before: readonly (string | number)[], node: jsep.Expression): Shape | undefined {
    const where = before.length === 0 ? 'the source' : before.join('.');
    if (shape.kind === 'any') return ANY;
    if (typeof name === 'number') {
      if (shape.kind === 'array') return shape.items;
      this.problem(`${where} is ${describeShape(shape)}, not a list: [${name}] cannot apply`, node);
      return undefined;
    }
    if (shape.kind !== 'object') {
      this.problem(`${where} is ${describeShape(shape)}: it has no field '${name}'`, node);
      return undefined;
    }
    const field = shape.fields.get(name);
    if (field === undefined) {
      this.problem(`${where} has no field '${name}'`, node, closestName(name, [...shape.fields.keys()]));
      return undefined;
    }
    return field.shape;
  }

  private call(node: jsep.CallExpression, scope: StaticScope): Compiled {
    if (node.callee.type !== 'Identifier') return this.problem('only the mapping functions can be called');
    const name = (node.callee as jsep.Identifier).name;
    const spec = FUNCTIONS[name];
    if (spec === undefined || !Object.hasOwn(FUNCTIONS, name)) {
      return this.problem(
        `unknown function '${name}'; the functions are ${Object.keys(FUNCTIONS).join(', ')}`,
        node.callee,
        closestName(name, Object.keys(FUNCTIONS)),
      );
    }
    const args = node.arguments;
    if (args.length < spec.minArgs || args.length > spec.maxArgs) {
      const count =
        spec.minArgs === spec.maxArgs
          ? `${spec.minArgs}`
          : spec.maxArgs === Infinity
            ? `at least ${spec.minArgs}`
            : `${spec.minArgs} to ${spec.maxArgs}`;
      return this.problem(`${name}(${spec.params}) takes ${count} argument${count === '1' ? '' : 's'}, not ${args.length}`, node.callee);
    }
    return spec.compile(args as unknown as Arguments, scope, this);
  }

  private binary(node: jsep.BinaryExpression, scope: StaticScope): Compiled {
    const left = this.compile(node.left, scope);
    const right = this.compile(node.right, scope);
    const l = left.evaluate;
    const r = right.evaluate;
    const field = this.context.field;
    const numbers = (op: string, apply: (a: number, b: number) => number): Compiled => {
      for (const side of [left, right]) {
        if (side.shape.kind !== 'any' && !isType(side.shape, 'number'))
          return this.problem(`'${op}' needs numbers, and one side is ${describeShape(side.shape)}`);
      }
      const wrong = (a: unknown, b: unknown): never => {
        throw new MappingRunError(
          MappingErrorCodes.FUNCTION_FAILED,
          `'${op}' needs numbers, got ${JSON.stringify(a)} and ${JSON.stringify(b)}`,
          field,
        );
      };
      const fixed = right.constant?.value;
      if (typeof fixed === 'number') {
        // The common `quantity * 10000`: no call for the constant side.
        return {
          evaluate: (s) => {
            const a = l(s);
            if (typeof a === 'number') return apply(a, fixed);
            return a === undefined || a === null ? undefined : wrong(a, fixed);
          },
          shape: NUMBER,
        };
      }
      return {
        evaluate: (s) => {
          const a = l(s);
          const b = r(s);
          if (typeof a === 'number' && typeof b === 'number') return apply(a, b);
          if (a === undefined || a === null || b === undefined || b === null) return undefined;
          return wrong(a, b);
        },
        shape: NUMBER,
      };
    };
    switch (node.operator) {
      case '+':
        if (isType(left.shape, 'string') || isType(right.shape, 'string')) {
          return { evaluate: (s) => `${text(l(s))}${text(r(s))}`, shape: STRING };
        }
        return numbers('+', (a, b) => a + b);
      case '-':
        return numbers('-', (a, b) => a - b);
      case '*':
        return numbers('*', (a, b) => a * b);
      case '/':
        return numbers('/', (a, b) => a / b);
      case '%':
        return numbers('%', (a, b) => a % b);
      case '==':
      case '===':
        return { evaluate: (s) => same(l(s), r(s)), shape: BOOLEAN };
      case '!=':
      case '!==':
        return { evaluate: (s) => !same(l(s), r(s)), shape: BOOLEAN };
      case '<':
        return { evaluate: (s) => compare(l(s), r(s), (c) => c < 0), shape: BOOLEAN };
      case '<=':
        return { evaluate: (s) => compare(l(s), r(s), (c) => c <= 0), shape: BOOLEAN };
      case '>':
        return { evaluate: (s) => compare(l(s), r(s), (c) => c > 0), shape: BOOLEAN };
      case '>=':
        return { evaluate: (s) => compare(l(s), r(s), (c) => c >= 0), shape: BOOLEAN };
      case '&&':
        return { evaluate: (s) => truthy(l(s)) && truthy(r(s)), shape: BOOLEAN };
      case '||':
        return { evaluate: (s) => truthy(l(s)) || truthy(r(s)), shape: BOOLEAN };
      case '??':
        return { evaluate: (s) => l(s) ?? r(s), shape: left.shape.kind === 'any' ? right.shape : left.shape };
      default:
        return this.problem(
          `operator '${node.operator}' is not part of the mapping language (+ - * / % == != < <= > >= && || ?? ! and a ? b : c are)`,
        );
    }
  }

  private unary(node: jsep.UnaryExpression, scope: StaticScope): Compiled {
    const operand = this.compile(node.argument, scope).evaluate;
    const field = this.context.field;
    switch (node.operator) {
      case '!':
        return { evaluate: (s) => !truthy(operand(s)), shape: BOOLEAN };
      case '-':
        return {
          evaluate: (s) => {
            const value = operand(s);
            if (value === undefined || value === null) return undefined;
            if (typeof value !== 'number')
              throw new MappingRunError(MappingErrorCodes.FUNCTION_FAILED, `'-' needs a number, got ${JSON.stringify(value)}`, field);
            return -value;
          },
          shape: NUMBER,
        };
      default:
        return this.problem(`operator '${node.operator}' is not part of the mapping language`);
    }
  }

  private conditional(node: jsep.ConditionalExpression, scope: StaticScope): Compiled {
    const test = this.compile(node.test, scope).evaluate;
    const yes = this.compile(node.consequent, scope);
    const no = this.compile(node.alternate, scope);
    const y = yes.evaluate;
    const n = no.evaluate;
    return { evaluate: (s) => (truthy(test(s)) ? y(s) : n(s)), shape: sameKind(yes.shape, no.shape) ? yes.shape : ANY };
  }
}

/** Fast readers for the common short paths (most fields read one or two names of the item); the general loop for the rest. */
function pathReader(base: Evaluate, names: readonly (string | number)[], fromItem: boolean): Evaluate {
  type Obj = Record<string | number, unknown>;
  const [a, b] = names;
  if (names.length === 0) return base;
  if (a !== undefined && names.length === 1) {
    if (fromItem) {
      return (s) => {
        const v = s.item;
        return v !== null && typeof v === 'object' ? (v as Obj)[a] : undefined;
      };
    }
    return (s) => {
      const v = base(s);
      return v !== null && typeof v === 'object' ? (v as Obj)[a] : undefined;
    };
  }
  if (a !== undefined && b !== undefined && names.length === 2) {
    return (s) => {
      const v = fromItem ? s.item : base(s);
      if (v === null || typeof v !== 'object') return undefined;
      const w = (v as Obj)[a];
      return w !== null && typeof w === 'object' ? (w as Obj)[b] : undefined;
    };
  }
  return (s: Scope) => readPath(base(s), names);
}

/** Equality where a missing field equals null: `payment.reference != null` means "has a reference". */
function same(a: unknown, b: unknown): boolean {
  return a === b || ((a === undefined || a === null) && (b === undefined || b === null));
}

function compare(a: unknown, b: unknown, test: (c: number) => boolean): boolean {
  if (typeof a === 'number' && typeof b === 'number') return test(a - b);
  if (typeof a === 'string' && typeof b === 'string') return test(a < b ? -1 : a > b ? 1 : 0);
  return false;
}

function sameKind(a: Shape, b: Shape): boolean {
  return a.kind === b.kind && (a.kind !== 'scalar' || (b.kind === 'scalar' && a.type === b.type));
}

/** The name nearest to `name`, when it is near enough to be a likely typo. */
export function closestName(name: string, candidates: readonly string[], prefix = ''): string | undefined {
  if (candidates.length === 0) return undefined;
  const best = closest(name, [...candidates]);
  return distance(name.toLowerCase(), best.toLowerCase()) <= Math.max(2, Math.floor(name.length / 3)) ? `${prefix}${best}` : undefined;
}
