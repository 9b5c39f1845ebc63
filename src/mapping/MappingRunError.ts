import { ErrorCodes, type MappingErrorCode } from '../domain/errorCodes';

/** A mapping could not map an input: a permanent data problem, named by field and code. */
export class MappingRunError extends Error {
  constructor(
    readonly code: MappingErrorCode,
    message: string,
    /** The target field being produced, e.g. `lines[2].itemNo`. */
    readonly field: string,
  ) {
    super(message);
    this.name = 'MappingRunError';
  }
}

export const MappingErrorCodes = {
  LOOKUP_MISSING: ErrorCodes.MAPPING_LOOKUP_MISSING,
  REQUIRED_MISSING: ErrorCodes.MAPPING_REQUIRED_MISSING,
  FUNCTION_FAILED: ErrorCodes.MAPPING_FUNCTION_FAILED,
} as const;
