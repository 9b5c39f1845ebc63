import type { z } from 'zod';
import { describeIssues } from '../../domain/validate';
import { replaySelectionSchema, type ReplaySelection } from './dryRunReplay';

/** A 400 answer of the ops API: what is wrong, and where. */
export interface Refusal {
  status: 400;
  jsonBody: { error: string; details?: string[] };
}

/**
 * An ops request's JSON body: its own fields (`fields`, whose keys are `ownKeys`) beside a selection
 * of parked entries (a group, entries or orderIds); or the refusal that says what is wrong.
 */
export async function readSelectionRequest<T extends Record<string, unknown>>(
  request: { json(): Promise<unknown> },
  what: string,
  fields: z.ZodType<T>,
  ownKeys: readonly (keyof T)[],
): Promise<{ fields: T; selection: ReplaySelection } | { refused: Refusal }> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return { refused: { status: 400, jsonBody: { error: 'the body is not JSON' } } };
  }
  const parsed = fields.safeParse(body);
  if (!parsed.success) return { refused: { status: 400, jsonBody: { error: `not ${what}`, details: describeIssues(parsed.error) } } };
  const own = new Set<PropertyKey>(ownKeys);
  const rest = Object.fromEntries(Object.entries(parsed.data).filter(([key]) => !own.has(key)));
  const selection = replaySelectionSchema.safeParse(rest);
  if (!selection.success)
    return { refused: { status: 400, jsonBody: { error: 'name a group, entries or orderIds', details: describeIssues(selection.error) } } };
  return { fields: parsed.data, selection: selection.data };
}

/** An ops request's JSON body (an empty one is `{}`) read by its schema, or the refusal naming each field that is wrong. */
export async function readBody<T extends z.ZodType>(
  request: { text(): Promise<string> },
  what: string,
  schema: T,
): Promise<{ body: z.output<T> } | { refused: Refusal }> {
  const text = await request.text();
  let body: unknown;
  try {
    body = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    return { refused: { status: 400, jsonBody: { error: 'the body is not JSON' } } };
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return { body: parsed.data };
  return { refused: { status: 400, jsonBody: { error: `not a valid ${what}`, details: describeIssues(parsed.error) } } };
}

/**
 * An ops request's query string read by its schema (the one the CLI reads its options with), or the
 * refusal naming each field that is wrong. `code` is the function key, which the host reads and
 * passes on: it is no field of any query.
 */
export function readQuery<T extends z.ZodType>(
  request: { query: URLSearchParams },
  what: string,
  schema: T,
): { query: z.output<T> } | { refused: Refusal } {
  const { code: _key, ...given } = Object.fromEntries(request.query.entries());
  const parsed = schema.safeParse(given);
  if (parsed.success) return { query: parsed.data };
  return { refused: { status: 400, jsonBody: { error: `not a valid ${what}`, details: describeIssues(parsed.error) } } };
}
