import type { AxiosError, AxiosStatic } from 'axios';
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';

/**
 * axios, loaded when the first HTTP client is made rather than when the app loads (cold start:
 * build/bundle.ts defers it for durable-functions too). Required, not imported: an import is
 * evaluated as the module loads.
 */
export function axiosOnFirstUse(): AxiosStatic {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require('axios') as AxiosStatic & { default?: AxiosStatic };
  return loaded.default ?? loaded;
}

/**
 * Keep-alive agents for an HTTP client, up to 64 sockets a host. node:https (and TLS with it) is
 * required here, when the first client is made, not as the app loads.
 */
export function keepAliveAgents(): { httpAgent: HttpAgent; httpsAgent: HttpsAgent } {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const http = require('node:http') as typeof import('node:http');
  const https = require('node:https') as typeof import('node:https');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return {
    httpAgent: new http.Agent({ keepAlive: true, maxSockets: 64 }),
    httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 64 }),
  };
}

/** axios's own test (an error it made says so), without loading axios. */
export function isAxiosError(error: unknown): error is AxiosError {
  return typeof error === 'object' && error !== null && (error as { isAxiosError?: unknown }).isAxiosError === true;
}
