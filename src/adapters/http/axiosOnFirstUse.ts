import type { AxiosError, AxiosStatic } from 'axios';

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

/** axios's own test (an error it made says so), without loading axios. */
export function isAxiosError(error: unknown): error is AxiosError {
  return typeof error === 'object' && error !== null && (error as { isAxiosError?: unknown }).isAxiosError === true;
}
