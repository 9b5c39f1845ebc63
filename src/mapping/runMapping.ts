import { ErrorCodes } from '../domain/errorCodes';
import { HubError } from '../domain/HubError';
import { describeIssues } from '../domain/validate';
import type { CompiledMapping } from './compileMapping';
import { MappingRunError } from './MappingRunError';

/** `name@version#fingerprint`, as journeys record which mapping (and which content) mapped an order. */
export function mappingLabel(mapping: CompiledMapping): string {
  return `${mapping.name}@${mapping.version}#${mapping.fingerprint}`;
}

/**
 * Runs a mapping and checks its output against the target schema. A data problem (unknown SKU,
 * missing required value, output that fails the schema) throws a permanent HubError that names
 * the mapping and the fields.
 */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- T is the type of the mapping's target schema
export function runMapping<T>(mapping: CompiledMapping, input: unknown): T {
  const label = mappingLabel(mapping);
  let output: unknown;
  try {
    output = mapping.map(input);
  } catch (error) {
    if (!(error instanceof MappingRunError)) throw error;
    throw new HubError(error.code, `${label}: ${error.field}: ${error.message}`, {
      transient: false,
      details: [`${error.field}: ${error.message}`],
    });
  }
  const result = mapping.targetSchema.safeParse(output);
  if (result.success) return result.data as T; // the target schema is the one T comes from
  const details = describeIssues(result.error);
  throw new HubError(
    ErrorCodes.MAPPING_INVALID_OUTPUT,
    `${label} produced a ${mapping.target} that fails its schema: ${details.slice(0, 5).join('; ')}`,
    {
      transient: false,
      details,
    },
  );
}
