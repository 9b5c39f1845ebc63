import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isSeq, type Node } from 'yaml';
import { confirmationIdOf, confirmationRequestSchema } from '../domain/confirmation';
import { HubError } from '../domain/HubError';
import { formatProblem } from '../mapping/MappingLoadError';
import { readData } from '../mapping/mappingTests';
import { asMap, scalarValue, YamlSource } from '../mapping/yamlSource';
import { confirmationModel, type Shop } from './confirmationModel';
import type { CompiledTemplates, RenderedMail } from './loadTemplates';

/** The outcome of one test case of a template. */
export interface TemplateTestResult {
  file: string;
  line: number;
  template: string;
  name: string;
  passed: boolean;
  failure?: string;
}

const CASE_KEYS = ['name', 'input', 'shop', 'subject', 'textContains', 'htmlContains', 'htmlExcludes'] as const;

/** The shop a case renders for when it names none. */
const TEST_SHOP: Shop = { name: 'Test Shop', email: 'shop@example.com' };

/** The tests files of a folder (`<template>.tests.yaml`). */
export function templateTestFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.tests\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

/** A YAML value as text: a scalar as written, anything else as JSON. */
const asText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));
const texts = (value: unknown): string[] => (Array.isArray(value) ? value.map(asText) : value === undefined ? [] : [asText(value)]);

/** What a rendered mail misses of a case's expectations; empty when it passes. */
function misses(mail: RenderedMail, expected: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (expected.subject !== undefined && mail.subject !== asText(expected.subject))
    problems.push(`subject is "${mail.subject}", expected "${asText(expected.subject)}"`);
  for (const text of texts(expected.textContains)) if (!mail.text.includes(text)) problems.push(`text does not contain "${text}"`);
  for (const text of texts(expected.htmlContains)) if (!mail.html.includes(text)) problems.push(`html does not contain "${text}"`);
  for (const text of texts(expected.htmlExcludes)) if (mail.html.includes(text)) problems.push(`html contains "${text}"`);
  return problems;
}

/**
 * Runs every case of one tests file: `template:` names the template, each case has an `input:` (a
 * confirmation request, inline or a JSON file beside it) and what the mail must show: `subject:`,
 * `textContains:`, `htmlContains:`, `htmlExcludes:` (escaping checks).
 */
export function runTemplateTestFile(file: string, shownFile: string, templates: CompiledTemplates): TemplateTestResult[] {
  const source = new YamlSource(shownFile, readFileSync(file, 'utf8'));
  const broken = (line: number, name: string, failure: string): TemplateTestResult => ({
    file: shownFile,
    line,
    template: '?',
    name,
    passed: false,
    failure,
  });
  const root = asMap(source.document.contents);
  const top = root === undefined ? undefined : source.entries(root, 'tests file', ['template', 'cases']);
  const template = scalarValue(top?.get('template')?.value)?.value;
  const cases = top?.get('cases')?.value;
  if (typeof template !== 'string' || !isSeq(cases)) {
    if (source.problems.length === 0)
      source.problem(root ?? null, 'a tests file has template: (the template it tests) and cases: (a list)');
  } else if (!templates.names.includes(template)) {
    source.problem(top?.get('template')?.value ?? null, `no template '${template}' was loaded (templates: ${templates.names.join(', ')})`);
  }
  if (source.problems.length > 0 || typeof template !== 'string' || !isSeq(cases))
    return source.problems.map((p) => broken(p.line, '(tests file)', formatProblem(p)));
  const results: TemplateTestResult[] = [];
  for (const item of cases.items as Node[]) {
    const line = source.lineOf(item);
    const before = source.problems.length;
    const entries = isMap(item) ? source.entries(item, 'case', CASE_KEYS) : undefined;
    const name = scalarValue(entries?.get('name')?.value)?.value;
    const input =
      entries?.get('input') === undefined ? undefined : readData(source, entries.get('input')?.value ?? null, path.dirname(file), 'input');
    if (entries === undefined || typeof name !== 'string' || input === undefined)
      source.problem(item, 'each case has name: and input:, and what the mail must show');
    if (source.problems.length > before || entries === undefined) {
      results.push(broken(line, typeof name === 'string' ? name : '(case)', source.problems.slice(before).map(formatProblem).join('\n')));
      continue;
    }
    const request = confirmationRequestSchema.safeParse(input);
    if (!request.success) {
      const fields = request.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      results.push(broken(line, String(name), `input is not a confirmation request: ${fields}`));
      continue;
    }
    const shop = { ...TEST_SHOP, ...((entries.get('shop')?.value?.toJSON() as Partial<Shop> | undefined) ?? {}) };
    const expected = Object.fromEntries([...entries].map(([key, pair]) => [key, pair.value?.toJSON() as unknown]));
    let failure: string | undefined;
    try {
      const model = confirmationModel(confirmationIdOf(request.data.kind, request.data.subjectId), request.data, shop);
      const problems = misses(templates.render(template, model), expected);
      failure = problems.length === 0 ? undefined : problems.join('\n');
    } catch (error) {
      if (!HubError.isHubError(error)) throw error;
      failure = `${error.code}: ${error.message}`;
    }
    results.push({
      file: shownFile,
      line,
      template,
      name: String(name),
      passed: failure === undefined,
      ...(failure === undefined ? {} : { failure }),
    });
  }
  return results;
}
