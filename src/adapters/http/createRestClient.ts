import axios, { type AxiosInstance } from 'axios';
import http from 'node:http';
import https from 'node:https';

export interface RestClientOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
}

/** An axios instance with keep-alive, a timeout and the API key header; errors are classified by the caller. */
export function createRestClient(options: RestClientOptions): AxiosInstance {
  return axios.create({
    baseURL: options.baseUrl.replace(/\/+$/, ''),
    timeout: options.timeoutMs,
    headers: { 'x-api-key': options.apiKey, accept: 'application/json' },
    httpAgent: new http.Agent({ keepAlive: true, maxSockets: 64 }),
    httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 64 }),
    maxRedirects: 0,
    // A body over 10 MB from the ECP or ERP is a fault of theirs, not an order.
    maxContentLength: 10 * 1024 * 1024,
  });
}
