import type { z } from 'zod';
import type { ErrorCode } from './errorCodes';
import { HubError } from './HubError';

/** Field paths and reasons of a failed schema check, e.g. `lineItems.0.sku: expected string`. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

/** Parses `value` with `schema` or throws a permanent HubError naming every failing field. */
export function parseOrFail<S extends z.ZodType>(schema: S, value: unknown, failure: { code: ErrorCode; what: string }): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = describeIssues(result.error);
  throw new HubError(failure.code, `${failure.what} failed its schema: ${details.slice(0, 5).join('; ')}`, {
    transient: false,
    details,
  });
}
