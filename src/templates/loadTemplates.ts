import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Liquid, type Template } from 'liquidjs';
import { ErrorCodes } from '../domain/errorCodes';
import { HubError } from '../domain/HubError';
import { closestName } from '../mapping/expression/compileExpression';
import type { MappingProblem } from '../mapping/MappingLoadError';
import { shapeOf, type Shape } from '../mapping/schemaShape';
import { confirmationModelSchema, type ConfirmationModel } from './confirmationModel';
import { TemplateLoadError } from './TemplateLoadError';

/** The parts of a mail template, each a file `<template>.<part>.liquid`. */
export const TEMPLATE_PARTS = ['subject', 'html', 'text'] as const;
export type TemplatePart = (typeof TEMPLATE_PARTS)[number];

/** A mail as a template renders it. */
export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

export interface CompiledTemplates {
  /** The templates found, e.g. `order-confirmation`. */
  readonly names: readonly string[];
  /** Renders a template; a failure is a permanent HubError (TEMPLATE.RENDER_FAILED) naming the file. */
  render(name: string, model: ConfirmationModel): RenderedMail;
}

const MODEL_SHAPE = shapeOf(confirmationModelSchema);

/** `{{ amount | money: currency }}` → `EUR 42.00`: an amount with its currency code, two decimals. */
function money(amount: unknown, currency: unknown): string {
  const value = typeof amount === 'number' ? amount : Number(amount);
  if (!Number.isFinite(value)) return '';
  return `${typeof currency === 'string' ? `${currency} ` : ''}${value.toFixed(2)}`;
}

function engine(escape: boolean): Liquid {
  const liquid = new Liquid({
    strictFilters: true,
    strictVariables: false,
    timezoneOffset: 0,
    // Named, or liquidjs asks Intl for the default (loading the time-zone data at start: 20 ms).
    locale: 'en-US',
    ...(escape ? { outputEscape: 'escape' as const } : {}),
  });
  liquid.registerFilter('money', money);
  return liquid;
}

/** Names a template's loop variables stand for: `{% for line in lines %}` makes `line` an item of `lines`. */
function loopAliases(source: string): Map<string, string[][]> {
  const aliases = new Map<string, string[][]>();
  for (const match of source.matchAll(/\{%-?\s*(?:for|tablerow)\s+([A-Za-z_][\w-]*)\s+in\s+([A-Za-z_][\w.-]*)/g)) {
    const [, alias = '', collection = ''] = match;
    aliases.set(alias, [...(aliases.get(alias) ?? []), [...collection.split('.'), '[]']]);
  }
  return aliases;
}

/** Why a path is not in the model, or undefined when it is. */
function missingIn(
  shape: Shape,
  segments: readonly string[],
): { message: string; unknownField?: boolean; suggestion?: string } | undefined {
  let current = shape;
  const walked: string[] = [];
  for (const segment of segments) {
    const here = walked.length === 0 ? 'the model' : walked.join('.');
    if (current.kind === 'any') return undefined;
    if (current.kind === 'array') {
      if (segment === '[]' || /^\d+$/.test(segment) || segment === 'first' || segment === 'last') current = current.items;
      else if (segment === 'size') return undefined;
      else return { message: `${here} is a list: use it in a for loop, or .first, .last, .size` };
    } else if (current.kind === 'object') {
      const field = current.fields.get(segment);
      if (field === undefined) {
        const suggestion = closestName(segment, [...current.fields.keys()]);
        return { message: `no field ${segment} in ${here}`, unknownField: true, ...(suggestion === undefined ? {} : { suggestion }) };
      }
      current = field.shape;
    } else {
      if (segment === 'size') return undefined;
      return { message: `${here} is a ${current.type}: it has no ${segment}` };
    }
    if (segment !== '[]') walked.push(segment);
  }
  return undefined;
}

/**
 * Every variable a template names must be in the confirmation model: a typo fails at load, with
 * file, line and column, not in a customer's mail. Variables the template assigns itself, and
 * `forloop`, are its own.
 */
function checkVariables(liquid: Liquid, template: Template[], source: string, file: string): MappingProblem[] {
  const analysis = liquid.analyzeSync(template, { partials: false });
  const aliases = loopAliases(source);
  const own = new Set([...Object.keys(analysis.locals), 'forloop', 'tablerowloop']);
  const problems: MappingProblem[] = [];
  for (const variable of Object.values(analysis.variables).flat()) {
    const segments = variable.segments.map((s) => (typeof s === 'string' || typeof s === 'number' ? String(s) : '0'));
    const [root = '', ...rest] = segments;
    const candidates = aliases.has(root) ? (aliases.get(root) ?? []).map((c) => [...c, ...rest]) : own.has(root) ? [] : [segments];
    const misses = candidates.map((c) => missingIn(MODEL_SHAPE, c));
    const miss = misses.length > 0 && misses.every((m) => m !== undefined) ? misses[0] : undefined;
    if (miss === undefined) continue;
    problems.push({
      file,
      line: variable.location.row,
      column: variable.location.col,
      // As the template writes it (a loop variable, not the list it stands for).
      message: miss.unknownField === true ? `unknown variable ${segments.join('.')}` : miss.message,
      ...(miss.suggestion === undefined ? {} : { suggestion: miss.suggestion }),
    });
  }
  return problems;
}

/** A LiquidJS parse error as a problem at its line and column. */
function parseProblem(error: unknown, file: string): MappingProblem {
  const text = error instanceof Error ? error.message : String(error);
  const at = /line:(\d+), col:(\d+)/.exec(text);
  return {
    file,
    line: Number(at?.[1] ?? 1),
    column: Number(at?.[2] ?? 1),
    message: (text.split(/, file:|, line:/)[0] ?? text).trim(),
  };
}

/** The template files of a folder, by template name; a template missing a part is a problem. */
export function templateFiles(dir: string): Map<string, Partial<Record<TemplatePart, string>>> {
  const found = new Map<string, Partial<Record<TemplatePart, string>>>();
  if (!existsSync(dir)) return found;
  for (const name of readdirSync(dir).sort()) {
    const match = /^(.+)\.(subject|html|text)\.liquid$/.exec(name);
    if (match === null) continue;
    const [, template = '', part] = match;
    found.set(template, { ...found.get(template), [part as TemplatePart]: path.join(dir, name) });
  }
  return found;
}

/**
 * Compiles every mail template of `dir` (`<template>.subject|html|text.liquid`, LiquidJS): HTML
 * output escaped, subject and text as written. A syntax error, an unknown filter, a variable the
 * model does not have or a missing part stops the load with file, line and column.
 */
export function loadTemplates(dir: string, shownDir: string = dir): CompiledTemplates {
  const html = engine(true);
  const plain = engine(false);
  const compiled = new Map<string, Record<TemplatePart, { file: string; template: Template[]; liquid: Liquid }>>();
  const problems: MappingProblem[] = [];
  for (const [name, parts] of templateFiles(dir)) {
    const entry: Partial<Record<TemplatePart, { file: string; template: Template[]; liquid: Liquid }>> = {};
    for (const part of TEMPLATE_PARTS) {
      const file = parts[part];
      const shown = path.join(shownDir, `${name}.${part}.liquid`);
      if (file === undefined) {
        problems.push({ file: shown, line: 1, column: 1, message: `template ${name} has no ${part} part (${name}.${part}.liquid)` });
        continue;
      }
      const source = readFileSync(file, 'utf8');
      const liquid = part === 'html' ? html : plain;
      try {
        const template = liquid.parse(source, shown);
        problems.push(...checkVariables(liquid, template, source, shown));
        entry[part] = { file: shown, template, liquid };
      } catch (error) {
        problems.push(parseProblem(error, shown));
      }
    }
    if (TEMPLATE_PARTS.every((p) => entry[p] !== undefined))
      compiled.set(name, entry as Record<TemplatePart, { file: string; template: Template[]; liquid: Liquid }>);
  }
  if (problems.length > 0) throw new TemplateLoadError(problems);
  return {
    names: [...compiled.keys()],
    render(name, model) {
      const parts = compiled.get(name);
      if (parts === undefined)
        throw new HubError(ErrorCodes.TEMPLATE_RENDER_FAILED, `no template ${name} in ${shownDir}`, { transient: false });
      const render = (part: TemplatePart): string => {
        const { file, template, liquid } = parts[part];
        try {
          return liquid.renderSync(template, model) as string;
        } catch (error) {
          throw new HubError(ErrorCodes.TEMPLATE_RENDER_FAILED, `${file}: ${error instanceof Error ? error.message : String(error)}`, {
            transient: false,
          });
        }
      };
      return { subject: render('subject').replace(/\s+/g, ' ').trim(), html: render('html'), text: render('text') };
    },
  };
}
