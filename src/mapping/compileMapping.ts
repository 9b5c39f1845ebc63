import { createHash } from 'node:crypto';
import path from 'node:path';
import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import type { z } from 'zod';
import { closestName, compileExpression, type Compiled, type ExpressionContext } from './expression/compileExpression';
import { NOT_COMPUTED, type Run, type Scope, type StaticScope } from './expression/scope';
import { truthy as truthyValue } from './expression/values';
import { lookupIn, readLookup, type LookupTable } from './lookups';
import type { MappingProblem } from './MappingLoadError';
import { objectBuilder, type BuiltField, type Producer } from './objectBuilder';
import { checkFits, constant } from './targetFit';
import { MappingErrorCodes, MappingRunError } from './MappingRunError';
import { MAPPING_SCHEMAS } from './schemas';
import { ANY, describeShape, shapeOf, type Shape } from './schemaShape';
import { asMap, scalarValue, YamlSource } from './yamlSource';

/** A mapping file compiled into a plain function. */
export interface CompiledMapping {
  name: string;
  version: number;
  /** The file, relative to where mappings were loaded from. */
  file: string;
  /** The first 8 hex digits of a SHA-256 of the file and its CSV lookups: which content mapped an order. */
  fingerprint: string;
  source: string;
  target: string;
  sourceSchema: z.ZodType;
  targetSchema: z.ZodType;
  /** Maps one input; a data problem throws a MappingRunError naming the target field. */
  map(input: unknown): unknown;
}

/** Module-local alias for the hot closures (see values.ts). */
const truthy = truthyValue;

const TOP_LEVEL = ['mapping', 'version', 'description', 'source', 'target', 'lookups', 'define', 'fields'] as const;
const FIELD_KEYS = ['value', 'const', 'default', 'required', 'when'] as const;
const OBJECT_KEYS = ['fields', 'when'] as const;
const EACH_KEYS = ['each', 'fields', 'value', 'where', 'when'] as const;

/**
 * Compiles a mapping file (YAML text) into a function, checking every source path and target field
 * against the schemas it names. Returns the problems found instead when there are any.
 */
export function compileMapping(file: string, text: string, mappingDir: string): { mapping?: CompiledMapping; problems: MappingProblem[] } {
  const source = new YamlSource(file, text);
  if (source.problems.length > 0) return { problems: source.problems };
  const root = asMap(source.document.contents);
  if (root === undefined) {
    source.problem(source.document.contents, 'a mapping file is a YAML mapping with mapping:, version:, source:, target: and fields:');
    return { problems: source.problems };
  }
  const hash = createHash('sha256').update(text);
  const compiler = new MappingCompiler(source, mappingDir, (csv) => hash.update(csv));
  const compiled = compiler.compile(root);
  const mapping = compiled === undefined ? undefined : { ...compiled, fingerprint: hash.digest('hex').slice(0, 8) };
  return source.problems.length > 0 || mapping === undefined ? { problems: source.problems } : { mapping, problems: [] };
}

interface Definition {
  node: Node | null;
  index: number;
  compiled?: Compiled;
  compiling: boolean;
}

class MappingCompiler {
  private readonly lookups = new Map<string, LookupTable>();
  private readonly definitions = new Map<string, Definition>();
  private readonly resolving: string[] = [];
  private rootScope: StaticScope = { shape: ANY, parent: undefined, inEach: false };

  constructor(
    private readonly source: YamlSource,
    private readonly mappingDir: string,
    private readonly onFileRead: (text: string) => void,
  ) {}

  compile(root: YAMLMap): Omit<CompiledMapping, 'fingerprint'> | undefined {
    const src = this.source;
    const top = src.entries(root, 'mapping file', TOP_LEVEL);
    const name = this.requiredText(top, root, 'mapping');
    const expectedName = path.basename(src.file).replace(/\.ya?ml$/, '');
    if (name !== undefined && name !== expectedName)
      src.problem(top.get('mapping')?.value, `the mapping is named '${name}' but its file is ${path.basename(src.file)}: name them alike`);
    const versionNode = top.get('version')?.value;
    const version = scalarValue(versionNode)?.value;
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
      src.problem(versionNode ?? root, 'version: must be a whole number from 1, raised on every change');
    const source = this.schema(top, root, 'source');
    const target = this.schema(top, root, 'target');
    if (source === undefined || target === undefined || typeof version !== 'number' || name === undefined) return undefined;
    this.rootScope = { shape: shapeOf(source.schema), parent: undefined, inEach: false };

    const lookups = asMap(top.get('lookups')?.value);
    if (lookups !== undefined) {
      for (const [lookupName, pair] of src.entries(lookups, 'lookups')) {
        const table = readLookup(src, lookupName, pair.value, this.mappingDir, this.onFileRead);
        if (table !== undefined) this.lookups.set(lookupName, table);
      }
    }
    const define = asMap(top.get('define')?.value);
    if (define !== undefined) {
      for (const [defName, pair] of src.entries(define, 'define'))
        this.definitions.set(defName, { node: pair.value, index: this.definitions.size, compiling: false });
    }
    const fieldsNode = top.get('fields');
    const fields = asMap(fieldsNode?.value);
    if (fields === undefined) {
      src.problem(fieldsNode?.value ?? root, 'fields: must map each target field to where its value comes from');
      return undefined;
    }
    const build = this.objectOf(fields, shapeOf(target.schema), this.rootScope, '');
    for (const defName of this.definitions.keys()) this.definition(defName);

    const definitionCount = this.definitions.size;
    const map = (input: unknown): unknown => {
      const run: Run = {
        defined: definitionCount === 0 ? [] : new Array<unknown>(definitionCount).fill(NOT_COMPUTED),
        rootScope: undefined as unknown as Scope,
      };
      const scope: Scope = { item: input, index: 0, parent: undefined, run };
      run.rootScope = scope;
      return build(scope);
    };
    return {
      name,
      version,
      file: src.file,
      source: source.name,
      target: target.name,
      sourceSchema: source.schema,
      targetSchema: target.schema,
      map,
    };
  }

  private requiredText(entries: Map<string, Pair<Node, Node | null>>, root: YAMLMap, key: string): string | undefined {
    const value = scalarValue(entries.get(key)?.value)?.value;
    if (typeof value === 'string' && value !== '') return value;
    this.source.problem(entries.get(key)?.value ?? root, `${key}: is required`);
    return undefined;
  }

  private schema(
    entries: Map<string, Pair<Node, Node | null>>,
    root: YAMLMap,
    key: 'source' | 'target',
  ): { name: string; schema: z.ZodType } | undefined {
    const name = this.requiredText(entries, root, key);
    if (name === undefined) return undefined;
    const schema = Object.hasOwn(MAPPING_SCHEMAS, name) ? MAPPING_SCHEMAS[name] : undefined;
    if (schema !== undefined) return { name, schema };
    const names = Object.keys(MAPPING_SCHEMAS);
    const suggestion = closestName(name, names);
    this.source.problem(
      entries.get(key)?.value,
      `unknown schema '${name}' (the schemas are ${names.join(', ')})`,
      suggestion === undefined ? {} : { suggestion },
    );
    return undefined;
  }

  private expressionContext(node: Node | null, field: string): ExpressionContext {
    return {
      field,
      problem: (message, options = {}) => this.source.problem(node, message, { field, ...options }),
      definition: (name) => this.definition(name),
      definitionNames: () => [...this.definitions.keys()],
      lookup: (name) => {
        const table = this.lookups.get(name);
        return table === undefined ? undefined : lookupIn(table);
      },
      lookupNames: () => [...this.lookups.keys()],
    };
  }

  /** A `define:` entry, compiled once in the root scope; a definition that needs itself is a cycle. */
  private definition(name: string): Compiled | undefined {
    const definition = this.definitions.get(name);
    if (definition === undefined) return undefined;
    if (definition.compiled !== undefined) return definition.compiled;
    if (definition.compiling) {
      const cycle = [...this.resolving.slice(this.resolving.indexOf(name)), name].map((n) => `$${n}`).join(' → ');
      this.source.problem(definition.node, `definitions refer to each other in a cycle: ${cycle}`, { field: `define.${name}` });
      return { evaluate: () => undefined, shape: ANY };
    }
    definition.compiling = true;
    this.resolving.push(name);
    const text = scalarValue(definition.node)?.value;
    let inner: Compiled;
    if (typeof text === 'string')
      inner = compileExpression(text, this.rootScope, this.expressionContext(definition.node, `define.${name}`));
    else {
      this.source.problem(definition.node, 'a definition is one expression', { field: `define.${name}` });
      inner = { evaluate: () => undefined, shape: ANY };
    }
    this.resolving.pop();
    const { index } = definition;
    const evaluate = inner.evaluate;
    definition.compiled = {
      evaluate: (s) => {
        const run = s.run;
        let value = run.defined[index];
        if (value === NOT_COMPUTED) {
          value = evaluate(run.rootScope);
          run.defined[index] = value;
        }
        return value;
      },
      shape: inner.shape,
    };
    return definition.compiled;
  }

  /** `fields:` of an object: every key a field of the target object, every required one mapped. */
  private objectOf(fields: YAMLMap, target: Shape, scope: StaticScope, at: string): Producer {
    const src = this.source;
    const produced: BuiltField[] = [];
    const entries = src.entries(fields, at === '' ? 'fields' : at, undefined, at || undefined);
    for (const [key, pair] of entries) {
      const field = at === '' ? key : `${at}.${key}`;
      let fieldShape: Shape = ANY;
      let required = false;
      if (target.kind === 'object') {
        const known = target.fields.get(key);
        if (known === undefined) {
          src.problem(pair.key, `the target has no field '${key}'${at === '' ? '' : ` in ${at}`}`, {
            field,
            ...suggest(key, [...target.fields.keys()]),
          });
          continue;
        }
        fieldShape = known.shape;
        required = known.required;
      }
      const conditional = isMap(pair.value) && pair.value.items.some((item) => isScalar(item.key) && item.key.value === 'when');
      // An expression is compiled here, once, so that a plain field of the item can be read in place.
      const node = pair.value;
      const expression =
        isScalar(node) && typeof node.value === 'string' ? this.expression(node, node.value, fieldShape, scope, field) : undefined;
      produced.push({
        key,
        produce: expression?.evaluate ?? this.field(pair, fieldShape, scope, field),
        always: required && !conditional,
        ...(expression?.itemPath === undefined ? {} : { itemPath: expression.itemPath }),
      });
    }
    if (target.kind === 'object') {
      const missing = [...target.fields].filter(([name, f]) => f.required && !entries.has(name)).map(([name]) => name);
      if (missing.length > 0)
        src.problem(
          fields,
          `required target field${missing.length > 1 ? 's' : ''} not mapped: ${missing.join(', ')}`,
          at === '' ? {} : { field: at },
        );
    }
    return objectBuilder(produced);
  }

  private field(pair: Pair<Node, Node | null>, target: Shape, scope: StaticScope, field: string): Producer {
    const node = pair.value;
    const src = this.source;
    if (node === null || (isScalar(node) && node.value === null)) {
      src.problem(pair.key, 'no value: write an expression, or leave the field out', { field });
      return () => undefined;
    }
    if (isScalar(node)) {
      if (typeof node.value !== 'string') return constant(node.value, target, field, src, node);
      return this.expression(node, node.value, target, scope, field).evaluate;
    }
    if (isSeq(node) || !isMap(node)) {
      src.problem(node, 'a field is an expression, or a block with fields:, each: or value:', { field });
      return () => undefined;
    }
    const keys = node.items.map((item) => (isScalar(item.key) ? String(item.key.value) : ''));
    if (keys.includes('each')) return this.each(node, target, scope, field);
    if (keys.includes('fields')) {
      const entries = src.entries(node, field, OBJECT_KEYS, field);
      if (target.kind !== 'object' && target.kind !== 'any') {
        src.problem(node, `${field} is ${describeShape(target)} in the target, not an object`, { field });
        return () => undefined;
      }
      const fields = asMap(entries.get('fields')?.value);
      if (fields === undefined) {
        src.problem(node, 'fields: must map each field to its value', { field });
        return () => undefined;
      }
      return this.when(entries.get('when'), scope, field, this.objectOf(fields, target, scope, field));
    }
    return this.valueBlock(node, target, scope, field);
  }

  /** An expression for a target field, checked to fit it. */
  private expression(node: Node | null, text: string, target: Shape, scope: StaticScope, field: string): Compiled {
    const compiled = compileExpression(text, scope, this.expressionContext(node, field));
    checkFits(compiled.shape, target, this.source, node, field);
    return compiled;
  }

  /** `value:` (or `const:`) with `default:`, `required:` and `when:`. */
  private valueBlock(node: YAMLMap, target: Shape, scope: StaticScope, field: string): Producer {
    const src = this.source;
    const entries = src.entries(node, field, FIELD_KEYS, field);
    const valuePair = entries.get('value');
    const constPair = entries.get('const');
    if ((valuePair === undefined) === (constPair === undefined)) {
      src.problem(node, 'a field block needs exactly one of value: (an expression) and const: (a fixed value)', { field });
      return () => undefined;
    }
    let producer: Producer;
    if (constPair !== undefined) {
      const value = scalarValue(constPair.value);
      if (value === undefined) {
        src.problem(constPair.value ?? constPair.key, 'const: must be a single value', { field });
        return () => undefined;
      }
      producer = constant(value.value, target, field, src, constPair.value);
    } else if (valuePair !== undefined) {
      const text = scalarValue(valuePair.value)?.value;
      producer =
        typeof text === 'string'
          ? this.expression(valuePair.value, text, target, scope, field).evaluate
          : constant(text, target, field, src, valuePair.value ?? valuePair.key);
    } else {
      return () => undefined;
    }
    const fallbackPair = entries.get('default');
    if (fallbackPair !== undefined) {
      const fallback = scalarValue(fallbackPair.value);
      if (fallback === undefined || fallback.value === null)
        src.problem(fallbackPair.value ?? fallbackPair.key, 'default: must be a single value', { field });
      else {
        constant(fallback.value, target, field, src, fallbackPair.value);
        const inner = producer;
        const value = fallback.value;
        producer = (s) => inner(s) ?? value;
      }
    }
    const requiredPair = entries.get('required');
    if (requiredPair !== undefined) {
      const required = scalarValue(requiredPair.value)?.value;
      if (typeof required !== 'boolean') src.problem(requiredPair.value ?? requiredPair.key, 'required: is true or false', { field });
      else if (required) {
        const inner = producer;
        const what = typeof scalarValue(valuePair?.value)?.value === 'string' ? String(scalarValue(valuePair?.value)?.value) : 'its value';
        producer = (s) => {
          const value = inner(s);
          if (value === undefined || value === null || value === '')
            throw new MappingRunError(MappingErrorCodes.REQUIRED_MISSING, `${field} is required, and ${what} is empty`, field);
          return value;
        };
      }
    }
    return this.when(entries.get('when'), scope, field, producer);
  }

  /** `each: list` with `fields:` (a list of objects) or `value:` (a list of values), `where:` to filter. */
  private each(node: YAMLMap, target: Shape, scope: StaticScope, field: string): Producer {
    const src = this.source;
    const entries = src.entries(node, field, EACH_KEYS, field);
    if (target.kind !== 'array' && target.kind !== 'any') {
      src.problem(node, `${field} is ${describeShape(target)} in the target: each: makes a list`, { field });
      return () => undefined;
    }
    const eachPair = entries.get('each');
    if (eachPair === undefined) return () => undefined;
    const listText = scalarValue(eachPair.value)?.value;
    if (typeof listText !== 'string') {
      src.problem(eachPair.value ?? eachPair.key, 'each: names the list to go through, e.g. each: lineItems', { field });
      return () => undefined;
    }
    const list = compileExpression(listText, scope, this.expressionContext(eachPair.value, field));
    if (list.shape.kind !== 'array' && list.shape.kind !== 'any')
      src.problem(eachPair.value, `each: needs a list, and ${listText} is ${describeShape(list.shape)}`, { field });
    const itemScope: StaticScope = { shape: list.shape.kind === 'array' ? list.shape.items : ANY, parent: scope, inEach: true };
    const itemTarget = target.kind === 'array' ? target.items : ANY;

    const fieldsPair = entries.get('fields');
    const valuePair = entries.get('value');
    let build: Producer;
    if (fieldsPair !== undefined && valuePair === undefined) {
      const fields = asMap(fieldsPair.value);
      if (fields === undefined) {
        src.problem(fieldsPair.value ?? fieldsPair.key, 'fields: must map each field of an item to its value', { field });
        return () => undefined;
      }
      build = this.objectOf(fields, itemTarget, itemScope, field);
    } else if (valuePair !== undefined && fieldsPair === undefined) {
      build = this.field(valuePair, itemTarget, itemScope, field);
    } else {
      src.problem(node, 'each: needs exactly one of fields: (a list of objects) and value: (a list of values)', { field });
      return () => undefined;
    }
    const wherePair = entries.get('where');
    const whereText = scalarValue(wherePair?.value)?.value;
    const where =
      typeof whereText === 'string'
        ? compileExpression(whereText, itemScope, this.expressionContext(wherePair?.value ?? null, field)).evaluate
        : undefined;
    if (wherePair !== undefined && where === undefined) src.problem(wherePair.value ?? wherePair.key, 'where: is an expression', { field });

    const items = list.evaluate;
    const producer: Producer = (s) => {
      const values = items(s);
      if (values === undefined || values === null) return undefined;
      if (!Array.isArray(values))
        throw new MappingRunError(MappingErrorCodes.FUNCTION_FAILED, `each: needs a list, and ${listText} is not one`, field);
      const out: unknown[] = [];
      // One scope for every item, moved along: nothing keeps an item's scope once its item is built.
      const itemScopeValue: Scope = { item: undefined, index: 0, parent: s, run: s.run };
      let index = 0;
      try {
        for (; index < values.length; index++) {
          itemScopeValue.item = values[index] as unknown;
          itemScopeValue.index = index;
          if (where !== undefined && !truthy(where(itemScopeValue))) continue;
          const value = build(itemScopeValue);
          if (value !== undefined && value !== null) out.push(value);
        }
      } catch (error) {
        if (error instanceof MappingRunError && error.field.startsWith(field)) {
          throw new MappingRunError(error.code, error.message, `${field}[${index}]${error.field.slice(field.length)}`);
        }
        throw error;
      }
      return out;
    };
    return this.when(entries.get('when'), scope, field, producer);
  }

  private when(pair: Pair<Node, Node | null> | undefined, scope: StaticScope, field: string, producer: Producer): Producer {
    if (pair === undefined) return producer;
    const text = scalarValue(pair.value)?.value;
    if (typeof text !== 'string') {
      this.source.problem(pair.value ?? pair.key, 'when: is an expression, e.g. when: payment.reference != null', { field });
      return producer;
    }
    const condition = compileExpression(text, scope, this.expressionContext(pair.value, field)).evaluate;
    return (s) => (truthy(condition(s)) ? producer(s) : undefined);
  }
}

function suggest(name: string, candidates: readonly string[]): { suggestion?: string } {
  const suggestion = closestName(name, candidates);
  return suggestion === undefined ? {} : { suggestion };
}
