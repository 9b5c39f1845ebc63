import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { diff } from 'jest-diff';
import { isMap, isSeq, type Node, type YAMLMap } from 'yaml';
import { HubError } from '../domain/HubError';
import type { MappingSet } from './loadMappings';
import { formatProblem } from './MappingLoadError';
import { readPath } from './expression/scope';
import { runMapping } from './runMapping';
import { asMap, scalarValue, YamlSource } from './yamlSource';

/** The outcome of one test case of a mapping. */
export interface MappingTestResult {
  /** The tests file, and the case's line in it. */
  file: string;
  line: number;
  mapping: string;
  name: string;
  passed: boolean;
  /** Why it failed: a diff of expected and actual output, or the error that was or was not raised. */
  failure?: string;
}

const CASE_KEYS = ['name', 'input', 'set', 'expect', 'expectFields', 'expectError'] as const;

/** The tests files of a folder (`<mapping>.tests.yaml`). */
export function mappingTestFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.tests\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Runs every case of one tests file against the compiled mappings. */
export function runMappingTestFile(file: string, shownFile: string, mappings: MappingSet): MappingTestResult[] {
  const source = new YamlSource(shownFile, readFileSync(file, 'utf8'));
  const results: MappingTestResult[] = [];
  const broken = (line: number, name: string, failure: string): MappingTestResult => ({
    file: shownFile,
    line,
    mapping: '?',
    name,
    passed: false,
    failure,
  });
  const root = asMap(source.document.contents);
  const top = root === undefined ? undefined : source.entries(root, 'tests file', ['mapping', 'cases']);
  const mappingName = scalarValue(top?.get('mapping')?.value)?.value;
  const cases = top?.get('cases')?.value;
  if (root === undefined || typeof mappingName !== 'string' || !isSeq(cases)) {
    if (source.problems.length === 0) source.problem(root ?? null, 'a tests file has mapping: (the mapping it tests) and cases: (a list)');
  }
  const mapping = typeof mappingName === 'string' ? mappings.all().find((m) => m.name === mappingName) : undefined;
  if (typeof mappingName === 'string' && mapping === undefined)
    source.problem(top?.get('mapping')?.value ?? null, `no mapping '${mappingName}' was loaded`);
  if (source.problems.length > 0 || mapping === undefined || !isSeq(cases)) {
    return source.problems.map((p) => broken(p.line, '(tests file)', formatProblem(p)));
  }
  const dir = path.dirname(file);
  for (const item of cases.items as Node[]) {
    const before = source.problems.length;
    const line = source.lineOf(item);
    const testCase = isMap(item) ? readCase(source, item, dir) : undefined;
    if (testCase === undefined || source.problems.length > before) {
      if (!isMap(item)) source.problem(item, 'each case is a mapping with name:, input: and expect:, expectFields: or expectError:');
      results.push(broken(line, testCase?.name ?? '(case)', source.problems.slice(before).map(formatProblem).join('\n')));
      continue;
    }
    const failure = check(testCase, () => runMapping<unknown>(mapping, testCase.input));
    results.push({
      file: shownFile,
      line,
      mapping: mapping.name,
      name: testCase.name,
      passed: failure === undefined,
      ...(failure === undefined ? {} : { failure }),
    });
  }
  return results;
}

interface TestCase {
  name: string;
  input: unknown;
  expect?: unknown;
  expectFields?: Record<string, unknown>;
  expectError?: { code?: string; field?: string; message?: string };
}

/** `input:` and `expect:` are inline YAML, or the name of a JSON file beside the tests. */
export function readData(source: YamlSource, node: Node | null, dir: string, what: string): unknown {
  const scalar = scalarValue(node)?.value;
  if (typeof scalar === 'string' && /\.json$/.test(scalar)) {
    const file = path.join(dir, scalar);
    if (!existsSync(file)) {
      source.problem(node, `${what}: no file ${scalar}`);
      return undefined;
    }
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as unknown;
    } catch (error) {
      source.problem(node, `${what}: ${scalar} is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
      return undefined;
    }
  }
  return node === null ? undefined : (node.toJSON() as unknown);
}

function readCase(source: YamlSource, node: YAMLMap, dir: string): TestCase | undefined {
  const entries = source.entries(node, 'case', CASE_KEYS);
  const name = scalarValue(entries.get('name')?.value)?.value;
  if (typeof name !== 'string') {
    source.problem(node, 'a case needs name:');
    return undefined;
  }
  const inputPair = entries.get('input');
  if (inputPair === undefined) {
    source.problem(node, `case '${name}' needs input:`);
    return undefined;
  }
  let input = structuredClone(readData(source, inputPair.value, dir, 'input'));
  const set = asMap(entries.get('set')?.value);
  if (set !== undefined) {
    for (const [at, pair] of source.entries(set, 'set'))
      input = setPath(input, at, pair.value === null ? undefined : (pair.value.toJSON() as unknown));
  }
  const expectations = ['expect', 'expectFields', 'expectError'].filter((k) => entries.has(k));
  if (expectations.length !== 1) {
    source.problem(node, `case '${name}' needs exactly one of expect:, expectFields: and expectError:`);
    return undefined;
  }
  const testCase: TestCase = { name, input };
  const expectNode = entries.get('expect')?.value;
  if (expectNode !== undefined) testCase.expect = readData(source, expectNode, dir, 'expect');
  const fields = asMap(entries.get('expectFields')?.value);
  if (fields !== undefined) testCase.expectFields = fields.toJSON() as Record<string, unknown>;
  const error = asMap(entries.get('expectError')?.value);
  if (error !== undefined) testCase.expectError = error.toJSON() as TestCase['expectError'];
  if (entries.has('expectFields') && fields === undefined)
    source.problem(entries.get('expectFields')?.value ?? node, 'expectFields: maps paths (lines[0].itemNo) to values');
  if (entries.has('expectError') && error === undefined)
    source.problem(entries.get('expectError')?.value ?? node, 'expectError: has code:, and may have field: and message:');
  return testCase;
}

/** Path syntax of tests: `lines[0].sku`, `customer.email`. */
function segments(at: string): (string | number)[] {
  return at
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((s) => s !== '')
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function setPath(value: unknown, at: string, replacement: unknown): unknown {
  const path = segments(at);
  const root = (value ?? {}) as Record<string | number, unknown>;
  let current: Record<string | number, unknown> = root;
  path.forEach((segment, index) => {
    if (index === path.length - 1) {
      if (replacement === undefined) Reflect.deleteProperty(current, segment);
      else current[segment] = replacement;
      return;
    }
    const next = current[segment];
    current[segment] = next !== null && typeof next === 'object' ? next : typeof path[index + 1] === 'number' ? [] : {};
    current = current[segment] as Record<string | number, unknown>;
  });
  return root;
}

function readAt(value: unknown, at: string): unknown {
  return readPath(value, segments(at));
}

/** undefined when the case passes; otherwise what went wrong, with a diff. */
function check(testCase: TestCase, run: () => unknown): string | undefined {
  let output: unknown;
  try {
    output = run();
  } catch (error) {
    if (!HubError.isHubError(error)) throw error;
    const expected = testCase.expectError;
    if (expected === undefined) return `failed with ${error.code}: ${error.message}`;
    const problems: string[] = [];
    if (expected.code !== undefined && expected.code !== error.code) problems.push(`code ${error.code}, expected ${expected.code}`);
    if (expected.field !== undefined && !error.details.some((d) => d.startsWith(`${expected.field}:`)))
      problems.push(`no error on field ${expected.field} (errors: ${error.details.join('; ')})`);
    if (expected.message !== undefined && !error.message.includes(expected.message))
      problems.push(`message "${error.message}" does not contain "${expected.message}"`);
    return problems.length === 0 ? undefined : problems.join('; ');
  }
  if (testCase.expectError !== undefined) return `expected ${testCase.expectError.code ?? 'an error'}, and it mapped without one`;
  if (testCase.expectFields !== undefined) {
    // `~` (null) in expectFields means the field is left out.
    const actual = Object.fromEntries(Object.keys(testCase.expectFields).map((at) => [at, readAt(output, at) ?? null]));
    return isDeepStrictEqual(actual, testCase.expectFields)
      ? undefined
      : (diff(testCase.expectFields, actual, { aAnnotation: 'Expected', bAnnotation: 'Mapped' }) ?? 'fields differ');
  }
  return isDeepStrictEqual(output, testCase.expect)
    ? undefined
    : (diff(testCase.expect, output, { aAnnotation: 'Expected', bAnnotation: 'Mapped', expand: false }) ?? 'output differs');
}
