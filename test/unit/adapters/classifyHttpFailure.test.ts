import { AxiosError, AxiosHeaders, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { classifyHttpFailure, parseRetryAfter } from '../../../src/adapters/http/classifyHttpFailure';
import { ErrorCodes } from '../../../src/domain/errorCodes';

const config = { headers: new AxiosHeaders() } as InternalAxiosRequestConfig;

function httpError(status: number, data: unknown = {}, headers: Record<string, string> = {}): AxiosError {
  const response = { status, data, headers, statusText: '', config } as AxiosResponse;
  return new AxiosError(`status ${status}`, AxiosError.ERR_BAD_RESPONSE, config, {}, response);
}

const write = { operation: 'create sales order', write: true, resource: 'sales order ECP-10001' };
const read = { operation: 'GET order', write: false, resource: 'order 10001' };

describe('classifyHttpFailure', () => {
  it.each([
    [503, 'ERP', write, ErrorCodes.ERP_UNAVAILABLE, true, true],
    [500, 'ERP', write, ErrorCodes.ERP_UNAVAILABLE, true, true],
    [502, 'ECP', read, ErrorCodes.ECP_UNAVAILABLE, true, false],
    [429, 'ERP', write, ErrorCodes.ERP_THROTTLED, true, false],
    [400, 'ERP', write, ErrorCodes.ERP_REJECTED, false, false],
    [422, 'ERP', write, ErrorCodes.ERP_REJECTED, false, false],
    [401, 'ERP', write, ErrorCodes.ERP_AUTH_FAILED, false, false],
    [403, 'ECP', read, ErrorCodes.ECP_AUTH_FAILED, false, false],
    [404, 'ECP', read, ErrorCodes.ECP_ORDER_NOT_FOUND, false, false],
    [409, 'ERP', write, ErrorCodes.ERP_DUPLICATE_DOCUMENT, false, false],
  ] as const)('HTTP %i from the %s → %s (transient %s, ambiguous %s)', (status, system, context, code, transient, ambiguous) => {
    const error = classifyHttpFailure(httpError(status), system, context);
    expect({ code: error.code, transient: error.transient, ambiguous: error.ambiguous }).toEqual({ code, transient, ambiguous });
  });

  it('names what the ECP does not have', () => {
    expect(classifyHttpFailure(httpError(404), 'ECP', read).message).toBe('ECP has no order 10001');
  });

  it('honours Retry-After on 429, in seconds', () => {
    expect(classifyHttpFailure(httpError(429, {}, { 'retry-after': '7' }), 'ERP', write).retryAfterMs).toBe(7000);
  });

  it("keeps the remote system's reason in the message", () => {
    const error = classifyHttpFailure(httpError(422, { error: 'unknown item', message: 'unknown item numbers: X-1' }), 'ERP', write);
    expect(error.message).toContain('unknown item numbers: X-1');
  });

  it('a refused connection is transient and certainly not carried out', () => {
    const error = classifyHttpFailure(new AxiosError('connect ECONNREFUSED', 'ECONNREFUSED', config), 'ERP', write);
    expect(error).toMatchObject({ code: ErrorCodes.ERP_UNAVAILABLE, transient: true, ambiguous: false });
  });

  it('a timeout on a write is transient and ambiguous', () => {
    const error = classifyHttpFailure(new AxiosError('timeout of 2000ms exceeded', 'ECONNABORTED', config), 'ERP', write);
    expect(error).toMatchObject({ code: ErrorCodes.ERP_TIMEOUT, transient: true, ambiguous: true });
  });

  it('a reset connection after sending a write is ambiguous', () => {
    const error = classifyHttpFailure(new AxiosError('socket hang up', 'ECONNRESET', config), 'ERP', write);
    expect(error).toMatchObject({ code: ErrorCodes.ERP_UNAVAILABLE, transient: true, ambiguous: true });
  });

  it('parses Retry-After as an HTTP date', () => {
    expect(parseRetryAfter('Mon, 23 Nov 2026 10:00:30 GMT', Date.parse('2026-11-23T10:00:00Z'))).toBe(30_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
