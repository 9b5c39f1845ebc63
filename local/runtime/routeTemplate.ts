/** Matches a Functions HTTP route template (`orders/{orderId}`, `{*path}`, `{id?}`) against a path. */
export function matchRoute(template: string, path: string): Record<string, string> | undefined {
  const templateParts = template
    .replace(/^\/+|\/+$/g, '')
    .split('/')
    .filter(Boolean);
  const pathParts = path
    .replace(/^\/+|\/+$/g, '')
    .split('/')
    .filter(Boolean);
  const params: Record<string, string> = {};
  for (let i = 0; i < templateParts.length; i++) {
    const part = templateParts[i]!;
    const parameter = /^\{(\*?)([A-Za-z0-9_]+)(\?)?(?::[^}]*)?\}$/.exec(part);
    if (parameter === null) {
      if (pathParts[i]?.toLowerCase() !== part.toLowerCase()) return undefined;
      continue;
    }
    const [, catchAll, name, optional] = parameter;
    if (catchAll === '*') {
      params[name!] = pathParts.slice(i).map(decodeURIComponent).join('/');
      return params;
    }
    const value = pathParts[i];
    if (value === undefined) {
      if (optional === '?') continue;
      return undefined;
    }
    params[name!] = decodeURIComponent(value);
  }
  return pathParts.length <= templateParts.length ? params : undefined;
}
