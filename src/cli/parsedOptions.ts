import type { z } from 'zod';
import { describeIssues } from '../domain/validate';

/** A command's options read by the schema the API uses too; what is wrong is printed, naming the option, and the exit code set. */
export function parsedOptions<T extends z.ZodType>(command: string, schema: T, given: unknown): z.output<T> | undefined {
  const parsed = schema.safeParse(given);
  if (parsed.success) return parsed.data;
  console.error(`hub ${command}: ${describeIssues(parsed.error).join('; ')}`);
  process.exitCode = 2;
  return undefined;
}
