import { useEffect, useState } from 'preact/hooks';

/** Where the page is: `#/<page>/<id>?<query>`, a deep link that can be shared (it never holds the key). */
export interface Route {
  page: 'orders' | 'order' | 'failures' | 'replay' | 'stats' | 'stock';
  id?: string;
  query: URLSearchParams;
}

/** A part of the address as written, where it is not valid percent-encoding. */
function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

export function parseRoute(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#\/?/, '').split('?');
  const [first = '', second] = path.split('/').map(decodePart);
  const query = new URLSearchParams(search);
  if (first === 'orders' && second !== undefined && second !== '') return { page: 'order', id: second, query };
  if (first === 'failures') return { page: 'failures', query };
  if (first === 'replays' && second !== undefined) return { page: 'replay', id: second, query };
  if (first === 'stats') return { page: 'stats', query };
  if (first === 'stock') return { page: 'stock', query };
  return { page: 'orders', query };
}

export function linkTo(path: string, query: Record<string, string | undefined> = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') search.set(name, value);
  const text = search.toString();
  return `#/${path}${text === '' ? '' : `?${text}`}`;
}

export function navigate(path: string, query: Record<string, string | undefined> = {}): void {
  location.hash = linkTo(path, query);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const changed = (): void => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return route;
}
