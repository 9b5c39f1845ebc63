import type { HubErrorCode } from './errorCodes';

export interface HubErrorOptions extends ErrorOptions {
  /** Retrying later may succeed (outage, throttling, timeout). Permanent errors wait for a fix and a replay. */
  transient: boolean;
  /** Field paths or other facts an operator needs to fix the cause. Never personal data. */
  details?: readonly string[];
  /** Delay the remote system asked for (Retry-After), in milliseconds. */
  retryAfterMs?: number;
  /** The request may have been carried out although no answer came back (timeout after send). */
  ambiguous?: boolean;
}

/**
 * The one error type of the hub: a stable code and a transient flag, which alone decides between a
 * retry and parking. The order it concerns travels with the message, the journey and the parked entry.
 */
export class HubError extends Error {
  override readonly name = 'HubError';
  readonly code: HubErrorCode;
  readonly transient: boolean;
  readonly details: readonly string[];
  readonly retryAfterMs: number | undefined;
  readonly ambiguous: boolean;

  constructor(code: HubErrorCode, message: string, options: HubErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.transient = options.transient;
    this.details = options.details ?? [];
    this.retryAfterMs = options.retryAfterMs;
    this.ambiguous = options.ambiguous ?? false;
  }

  static isHubError(value: unknown): value is HubError {
    return value instanceof HubError;
  }
}
