import type jsep from 'jsep';
import { MappingErrorCodes, MappingRunError } from '../MappingRunError';
import { ANY, describeShape, type Shape } from '../schemaShape';
import type { Compiled, ExpressionCompiler } from './compileExpression';
import { text as textValue } from './values';
import { checkTimeZone, dateFormatter, toEpochMs } from './dates';
import { ROUNDING_MODES, roundDecimal, type RoundingMode } from './decimal';
import type { Evaluate, Scope, StaticScope } from './scope';

export interface FunctionSpec {
  /** For messages: `decimal(value, places, mode)`. */
  params: string;
  minArgs: number;
  maxArgs: number;
  /** Called once the argument count is checked: there is always a first argument. */
  compile(args: Arguments, scope: StaticScope, compiler: ExpressionCompiler): Compiled;
}

export type Arguments = readonly [jsep.Expression, ...jsep.Expression[]];

/** The argument at `index`, which the argument count already guarantees. */
function nth(args: Arguments, index: number): jsep.Expression {
  const node = args[index];
  if (node === undefined) throw new Error(`argument ${index + 1} is missing`);
  return node;
}

/** Module-local alias for the hot closures (see values.ts). */
const text = textValue;

const STRING: Shape = { kind: 'scalar', type: 'string' };
const NUMBER: Shape = { kind: 'scalar', type: 'number' };
const FAILED: Compiled = { evaluate: () => undefined, shape: ANY };

/** A constant argument (a table name, a rounding mode, a date format), checked at load. */
function constant<T>(
  node: jsep.Expression | undefined,
  compiler: ExpressionCompiler,
  what: string,
  check: (value: unknown) => value is T,
): T | undefined {
  if (node === undefined) return undefined;
  if (node.type !== 'Literal' || !check((node as jsep.Literal).value)) {
    compiler.problem(`${what} must be written as a constant`);
    return undefined;
  }
  return (node as jsep.Literal).value as T;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number';
const absent = (v: unknown): v is undefined | null => v === undefined || v === null;

function fail(field: string, message: string): never {
  throw new MappingRunError(MappingErrorCodes.FUNCTION_FAILED, message, field);
}

/** A text argument's value: undefined when absent; anything but text fails the mapping. */
function asText(value: unknown, field: string): string | undefined {
  if (absent(value)) return undefined;
  if (typeof value !== 'string') fail(field, `expected text, got ${JSON.stringify(value)}`);
  return value;
}

/** A function of one text value: undefined stays undefined. */
function onText(apply: (value: string) => string): FunctionSpec {
  return {
    params: 'text',
    minArgs: 1,
    maxArgs: 1,
    compile: ([arg], scope, compiler) => {
      const value = compiler.compile(arg, scope).evaluate;
      const field = compiler.context.field;
      return {
        evaluate: (s) => {
          const v = asText(value(s), field);
          return v === undefined ? undefined : apply(v);
        },
        shape: STRING,
      };
    },
  };
}

function toNumber(value: unknown, field: string): number | undefined {
  if (absent(value) || value === '') return undefined;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const parsed = Number(value.trim());
    if (value.trim() !== '' && Number.isFinite(parsed)) return parsed;
  }
  return fail(field, `${JSON.stringify(value)} is not a number`);
}

/**
 * `sum(list, expr)` and `join(list, expr)`: the list argument, checked to be a list at load, and
 * `expr` evaluated for each item (the item itself when there is no `expr`). A value that is no list
 * fails the mapping when `strict`, and counts as absent otherwise.
 */
function itemValues(
  name: string,
  listNode: jsep.Expression,
  itemNode: jsep.Expression | undefined,
  scope: StaticScope,
  compiler: ExpressionCompiler,
  strict: boolean,
): ((s: Scope) => unknown[] | undefined) | undefined {
  const list = compiler.compile(listNode, scope);
  if (list.shape.kind !== 'array' && list.shape.kind !== 'any') {
    compiler.problem(`${name} needs a list, and its first argument is ${describeShape(list.shape)}`);
    return undefined;
  }
  const itemScope: StaticScope = { shape: list.shape.kind === 'array' ? list.shape.items : ANY, parent: scope, inEach: true };
  const perItem: Evaluate = itemNode === undefined ? (s) => s.item : compiler.compile(itemNode, itemScope).evaluate;
  const items = list.evaluate;
  const field = compiler.context.field;
  return (s) => {
    const values = items(s);
    if (!Array.isArray(values)) return strict && !absent(values) ? fail(field, `${name} needs a list`) : undefined;
    // One scope moved along the items: nothing keeps an item's scope once its value is taken.
    const scopeOfItem: Scope = { item: undefined, index: 0, parent: s, run: s.run };
    return values.map((value: unknown, index) => {
      scopeOfItem.item = value;
      scopeOfItem.index = index;
      return perItem(scopeOfItem);
    });
  };
}

/** The shape all of `shapes` share when they are the same kind of scalar. */
function sameScalar(shapes: Shape[]): Shape | undefined {
  const [first] = shapes;
  if (first?.kind !== 'scalar') return undefined;
  return shapes.every((s) => s.kind === 'scalar' && s.type === first.type) ? first : undefined;
}

/** The fixed set of functions a mapping may call; nothing else can run. */
export const FUNCTIONS: Readonly<Record<string, FunctionSpec>> = {
  concat: {
    params: 'value, ...',
    minArgs: 1,
    maxArgs: Infinity,
    compile: (args, scope, compiler) => {
      const parts = args.map((a) => compiler.compile(a, scope).evaluate);
      return {
        evaluate: (s) => {
          let out = '';
          for (const part of parts) {
            const v = part(s);
            out += text(v);
          }
          return out;
        },
        shape: STRING,
      };
    },
  },
  trim: onText((v) => v.trim()),
  upper: onText((v) => v.toUpperCase()),
  lower: onText((v) => v.toLowerCase()),
  title: onText((v) => v.toLowerCase().replace(/(^|[\s-])(\p{L})/gu, (_, sep: string, letter: string) => sep + letter.toUpperCase())),
  truncate: {
    params: 'text, length',
    minArgs: 2,
    maxArgs: 2,
    compile: ([arg, lengthNode], scope, compiler) => {
      const length = constant(
        lengthNode,
        compiler,
        'the length of truncate',
        (v): v is number => isNumber(v) && Number.isInteger(v) && v > 0,
      );
      if (length === undefined) return FAILED;
      const value = compiler.compile(arg, scope).evaluate;
      const field = compiler.context.field;
      return {
        evaluate: (s) => {
          const v = asText(value(s), field);
          return v === undefined || v.length <= length ? v : v.slice(0, length);
        },
        shape: STRING,
      };
    },
  },
  replace: {
    params: 'text, find, replacement',
    minArgs: 3,
    maxArgs: 3,
    compile: ([arg, findNode, withNode], scope, compiler) => {
      const find = constant(findNode, compiler, 'what replace finds', isString);
      const replacement = constant(withNode, compiler, 'the replacement', isString);
      if (find === undefined || replacement === undefined || find === '')
        return find === '' ? (compiler.problem('replace cannot find empty text'), FAILED) : FAILED;
      const value = compiler.compile(arg, scope).evaluate;
      return {
        evaluate: (s) => {
          const v = value(s);
          return absent(v) ? undefined : text(v).split(find).join(replacement);
        },
        shape: STRING,
      };
    },
  },
  number: {
    params: 'value',
    minArgs: 1,
    maxArgs: 1,
    compile: ([arg], scope, compiler) => {
      const value = compiler.compile(arg, scope).evaluate;
      const field = compiler.context.field;
      return { evaluate: (s) => toNumber(value(s), field), shape: NUMBER };
    },
  },
  decimal: {
    params: "value, places = 2, mode = 'half-up'",
    minArgs: 1,
    maxArgs: 3,
    compile: ([arg, placesNode, modeNode], scope, compiler) => {
      const places =
        placesNode === undefined
          ? 2
          : constant(
              placesNode,
              compiler,
              'the places of decimal',
              (v): v is number => isNumber(v) && Number.isInteger(v) && v >= 0 && v <= 10,
            );
      const mode = modeNode === undefined ? 'half-up' : constant(modeNode, compiler, 'the rounding mode', isString);
      if (places === undefined || mode === undefined) return FAILED;
      if (!(ROUNDING_MODES as readonly string[]).includes(mode)) {
        compiler.problem(`unknown rounding mode '${mode}'; the modes are ${ROUNDING_MODES.join(', ')}`);
        return FAILED;
      }
      const value = compiler.compile(arg, scope).evaluate;
      const field = compiler.context.field;
      return {
        evaluate: (s) => {
          const n = toNumber(value(s), field);
          return n === undefined ? undefined : roundDecimal(n, places, mode as RoundingMode);
        },
        shape: NUMBER,
      };
    },
  },
  date: {
    params: "value, format = 'yyyy-MM-dd', timeZone = 'UTC'",
    minArgs: 1,
    maxArgs: 3,
    compile: ([arg, formatNode, zoneNode], scope, compiler) => {
      const format = formatNode === undefined ? 'yyyy-MM-dd' : constant(formatNode, compiler, 'the date format', isString);
      const timeZone = zoneNode === undefined ? 'UTC' : constant(zoneNode, compiler, 'the time zone', isString);
      if (format === undefined || timeZone === undefined) return FAILED;
      try {
        checkTimeZone(timeZone);
      } catch {
        compiler.problem(`unknown time zone '${timeZone}' (use an IANA name such as Europe/Paris, or UTC)`);
        return FAILED;
      }
      const value = compiler.compile(arg, scope).evaluate;
      const field = compiler.context.field;
      const formatted = dateFormatter(format, timeZone);
      return {
        evaluate: (s) => {
          const v = value(s);
          if (absent(v)) return undefined;
          const at = toEpochMs(v);
          if (Number.isNaN(at)) fail(field, `${JSON.stringify(v)} is not a date`);
          return formatted(at);
        },
        shape: STRING,
      };
    },
  },
  sum: {
    params: 'list, value of each item',
    minArgs: 1,
    maxArgs: 2,
    compile: ([listNode, itemNode], scope, compiler) => {
      const field = compiler.context.field;
      const valuesOf = itemValues('sum', listNode, itemNode, scope, compiler, true);
      if (valuesOf === undefined) return FAILED;
      return {
        evaluate: (s) => {
          const values = valuesOf(s);
          if (values === undefined) return undefined;
          let total = 0;
          for (const value of values) {
            const n = toNumber(value, field);
            if (n !== undefined) total += n;
          }
          return total;
        },
        shape: NUMBER,
      };
    },
  },
  join: {
    params: "list, text of each item, separator = ', '",
    minArgs: 2,
    maxArgs: 3,
    compile: (args, scope, compiler) => {
      const separator = args[2] === undefined ? ', ' : constant(args[2], compiler, 'the separator of join', isString);
      const valuesOf = itemValues('join', args[0], nth(args, 1), scope, compiler, false);
      if (separator === undefined || valuesOf === undefined) return FAILED;
      return {
        evaluate: (s) => {
          const values = valuesOf(s);
          if (values === undefined) return undefined;
          const parts: string[] = [];
          for (const value of values) {
            const part = text(value);
            if (part !== '') parts.push(part);
          }
          return parts.join(separator);
        },
        shape: STRING,
      };
    },
  },
  count: {
    params: 'list',
    minArgs: 1,
    maxArgs: 1,
    compile: ([listNode], scope, compiler) => {
      const list = compiler.compile(listNode, scope).evaluate;
      return {
        evaluate: (s) => {
          const values = list(s);
          return Array.isArray(values) ? values.length : absent(values) ? 0 : 1;
        },
        shape: NUMBER,
      };
    },
  },
  coalesce: {
    params: 'value, ...',
    minArgs: 1,
    maxArgs: Infinity,
    compile: (args, scope, compiler) => {
      const compiled = args.map((a) => compiler.compile(a, scope));
      const values = compiled.map((c) => c.evaluate);
      return {
        evaluate: (s) => {
          for (const value of values) {
            const v = value(s);
            if (!absent(v) && v !== '') return v;
          }
          return undefined;
        },
        shape: sameScalar(compiled.map((c) => c.shape)) ?? ANY,
      };
    },
  },
  lookup: {
    params: "'table', key",
    minArgs: 2,
    maxArgs: 2,
    compile: (args, scope, compiler) => {
      const [tableNode] = args;
      const table = constant(tableNode, compiler, 'the table of lookup', isString);
      if (table === undefined) return FAILED;
      const find = compiler.context.lookup(table);
      if (find === undefined) {
        const names = compiler.context.lookupNames();
        compiler.problem(
          `no lookup table '${table}' under lookups: (${names.length === 0 ? 'none is declared' : `declared: ${names.join(', ')}`})`,
        );
        return FAILED;
      }
      const key = compiler.compile(nth(args, 1), scope).evaluate;
      const field = compiler.context.field;
      return { evaluate: (s) => find(key(s), field), shape: ANY };
    },
  },
};
