import type { z } from 'zod';
import { ErrorCodes } from '../../domain/errorCodes';
import { HubError } from '../../domain/HubError';
import { describeIssues } from '../../domain/validate';

/** Whose answer it is: the system's name, as the hub's messages and codes say it. */
type System = 'ECP' | 'ERP';

const CODE_OF = { ECP: ErrorCodes.ECP_RESPONSE_INVALID, ERP: ErrorCodes.ERP_RESPONSE_INVALID } as const;

/**
 * A remote system's answer read with its schema, or a HubError (`<system>.RESPONSE_INVALID`)
 * naming the operation and the first fields that are not as the hub expects. Permanent unless said
 * otherwise: the same answer would come again. `ambiguous`: the call may have done its work.
 */
export function readAnswer<S extends z.ZodType>(
  schema: S,
  data: unknown,
  answer: { system: System; operation: string; transient?: boolean; ambiguous?: boolean },
): z.infer<S> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  throw new HubError(CODE_OF[answer.system], `${answer.system} answered ${answer.operation} with a body the hub cannot read`, {
    transient: answer.transient ?? false,
    ...(answer.ambiguous === undefined ? {} : { ambiguous: answer.ambiguous }),
    details: describeIssues(parsed.error).slice(0, 5),
  });
}
