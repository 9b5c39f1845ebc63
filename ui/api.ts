/** The ops API, called with the function key the operator gave (kept for this tab only, never shown), or none behind Entra ID. */
const KEY_ITEM = 'order-hub.functionKey';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: readonly string[] = [],
  ) {
    super(message);
  }
}

/** `/api/ops`: where the page itself is served from, less `/ui`. */
export function apiBase(): string {
  return location.pathname.replace(/\/ui(\/.*)?$/, '');
}

export function hasFunctionKey(): boolean {
  return sessionStorage.getItem(KEY_ITEM) !== null;
}

export function setFunctionKey(key: string): void {
  sessionStorage.setItem(KEY_ITEM, key.trim());
}

export function forgetFunctionKey(): void {
  sessionStorage.removeItem(KEY_ITEM);
}

/** A key given in the page's address (`?code=`) is taken and removed from it, so that a shared link never carries it. */
export function takeKeyFromAddress(): void {
  const url = new URL(location.href);
  const code = url.searchParams.get('code');
  if (code === null) return;
  setFunctionKey(code);
  url.searchParams.delete('code');
  history.replaceState(null, '', url.toString());
}

/** The query string of the given values, leaving out the empty ones. */
export function queryOf(values: Record<string, string | number | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value !== undefined && value !== '') query.set(name, String(value));
  const text = query.toString();
  return text === '' ? '' : `?${text}`;
}

/** Told of every 401: the page asks for a key then. */
export const unauthorized = new EventTarget();

export async function api<T>(path: string, init: { method?: 'GET' | 'POST'; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const key = sessionStorage.getItem(KEY_ITEM);
  if (key !== null) headers['x-functions-key'] = key;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${apiBase()}/${path}`, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  let body: { error?: string; details?: string[] } | undefined;
  try {
    body = text === '' ? undefined : (JSON.parse(text) as typeof body);
  } catch {
    // Not the ops API's JSON (a gateway's page, a proxy's error): its first line says what.
    throw new ApiError(response.status, `the ops API answered ${response.status}: ${text.split('\n')[0]?.slice(0, 200) ?? ''}`);
  }
  if (!response.ok) {
    if (response.status === 401) {
      unauthorized.dispatchEvent(new Event('unauthorized'));
      throw new ApiError(401, 'the ops API wants a function key');
    }
    throw new ApiError(response.status, body?.error ?? `the ops API answered ${response.status}`, body?.details ?? []);
  }
  return body as T;
}
