import type { AxiosInstance } from 'axios';
import { axiosOnFirstUse, keepAliveAgents } from './axiosOnFirstUse';
import { onFirstCall } from '../onFirstUse';
import { traceRequests } from '../../telemetry/tracedHttp';

export interface RestClientOptions {
  baseUrl: string;
  /** Sent as `x-api-key` (the ECP's and ERP's APIs). */
  apiKey?: string;
  /** Other headers on every request (another way to authenticate). */
  headers?: Record<string, string>;
  timeoutMs: number;
}

/**
 * An axios instance with keep-alive, a timeout and the API key header, each call a client span of
 * the active step's trace (`system` names the remote system); errors are classified by the caller.
 * Made on the first call, when axios loads (cold start: see build/bundle.ts).
 */
export function createRestClient(system: string, options: RestClientOptions): () => AxiosInstance {
  return onFirstCall(() => restClient(system, options));
}

function restClient(system: string, options: RestClientOptions): AxiosInstance {
  const client = axiosOnFirstUse().create({
    baseURL: options.baseUrl.replace(/\/+$/, ''),
    timeout: options.timeoutMs,
    headers: { ...(options.apiKey === undefined ? {} : { 'x-api-key': options.apiKey }), accept: 'application/json', ...options.headers },
    ...keepAliveAgents(),
    maxRedirects: 0,
    // A body over 10 MB from a remote system is a fault of theirs, not an answer.
    maxContentLength: 10 * 1024 * 1024,
  });
  return traceRequests(client, system);
}
