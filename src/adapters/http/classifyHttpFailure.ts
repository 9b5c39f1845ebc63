import { isAxiosError } from './axiosOnFirstUse';
import { ErrorCodes, type ErrorCode } from '../../domain/errorCodes';
import { HubError } from '../../domain/HubError';

export type RemoteSystem = 'ECP' | 'ERP';

const CODES: Record<
  RemoteSystem,
  { unavailable: ErrorCode; throttled: ErrorCode; timeout: ErrorCode; rejected: ErrorCode; auth: ErrorCode }
> = {
  ECP: {
    unavailable: ErrorCodes.ECP_UNAVAILABLE,
    throttled: ErrorCodes.ECP_THROTTLED,
    timeout: ErrorCodes.ECP_TIMEOUT,
    rejected: ErrorCodes.ECP_REJECTED,
    auth: ErrorCodes.ECP_AUTH_FAILED,
  },
  ERP: {
    unavailable: ErrorCodes.ERP_UNAVAILABLE,
    throttled: ErrorCodes.ERP_THROTTLED,
    timeout: ErrorCodes.ERP_TIMEOUT,
    rejected: ErrorCodes.ERP_REJECTED,
    auth: ErrorCodes.ERP_AUTH_FAILED,
  },
};

/** Socket errors where the request never left: safe to send again without a look-up. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const TIMED_OUT = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);

/** Retry-After in seconds or as an HTTP date, in milliseconds. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function reasonFrom(data: unknown): string {
  if (typeof data === 'object' && data !== null) {
    const body = data as { error?: unknown; message?: unknown };
    if (typeof body.message === 'string') return body.message;
    if (typeof body.error === 'string') return body.error;
  }
  return typeof data === 'string' && data.length > 0 ? data.slice(0, 300) : 'no reason given';
}

/**
 * Turns a failed call into a HubError: 5xx, 429, timeouts and refused connections are transient;
 * other 4xx are permanent. A write that may have been carried out although no answer came back
 * (timeout or reset after sending, 5xx) is marked ambiguous.
 */
export function classifyHttpFailure(
  error: unknown,
  system: RemoteSystem,
  context: { operation: string; write: boolean; resource: string },
): HubError {
  const codes = CODES[system];
  const base = { cause: error };
  if (HubError.isHubError(error)) return error;
  if (!isAxiosError(error)) {
    return new HubError(codes.unavailable, `${system} ${context.operation} failed: ${String(error)}`, {
      ...base,
      transient: true,
      ambiguous: context.write,
    });
  }
  const status = error.response?.status;
  if (status === undefined) {
    const code = error.code ?? '';
    if (TIMED_OUT.has(code)) {
      return new HubError(codes.timeout, `${system} ${context.operation} timed out`, {
        ...base,
        transient: true,
        ambiguous: context.write,
      });
    }
    const sent = !NOT_SENT.has(code);
    return new HubError(codes.unavailable, `${system} ${context.operation} failed: ${code || error.message}`, {
      ...base,
      transient: true,
      ambiguous: context.write && sent,
    });
  }
  const reason = reasonFrom(error.response?.data);
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(error.response?.headers['retry-after']);
    return new HubError(codes.throttled, `${system} ${context.operation} throttled (429)`, {
      ...base,
      transient: true,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  if (status >= 500) {
    const retryAfterMs = parseRetryAfter(error.response?.headers['retry-after']);
    return new HubError(codes.unavailable, `${system} ${context.operation} failed with ${status}: ${reason}`, {
      ...base,
      transient: true,
      ambiguous: context.write,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  if (status === 401 || status === 403) {
    return new HubError(codes.auth, `${system} refused the hub's credentials (${status}) on ${context.operation}`, {
      ...base,
      transient: false,
    });
  }
  if (status === 404 && system === 'ECP') {
    return new HubError(ErrorCodes.ECP_ORDER_NOT_FOUND, `ECP has no ${context.resource}`, { ...base, transient: false });
  }
  if (status === 409 && system === 'ERP') {
    return new HubError(ErrorCodes.ERP_DUPLICATE_DOCUMENT, `ERP already has this external document number: ${reason}`, {
      ...base,
      transient: false,
    });
  }
  return new HubError(codes.rejected, `${system} rejected ${context.operation} (${status}): ${reason}`, {
    ...base,
    transient: false,
    details: [reason],
  });
}
