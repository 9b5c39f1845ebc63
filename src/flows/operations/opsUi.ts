import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { hubServices } from '../../composition/hubServices';

/** The page loads its script and styles from here only, talks to the ops API only, and cannot be framed. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

const ASSETS: Record<string, string> = { 'app.js': 'text/javascript; charset=utf-8', 'app.css': 'text/css; charset=utf-8' };

/** The page's shell: its script and styles, from where the page itself is served. */
function shell(base: string): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>Order Hub · operations</title>',
    `<link rel="stylesheet" href="${base}/app.css"></head>`,
    `<body><div id="app"></div><script src="${base}/app.js"></script></body></html>`,
  ].join('');
}

/**
 * GET /api/ops/ui: the operators' dashboard (built into OPS_UI_DIR by `npm run build`). The page
 * and its script hold no data and no secret, so they are served without a key; every call the page
 * makes to the ops API needs one (or Entra ID in front), which the operator gives in the page.
 */
export async function opsUi(request: HttpRequest): Promise<HttpResponseInit> {
  const asset = request.params.asset ?? '';
  const base = new URL(request.url).pathname.replace(/\/$/, '').replace(/\/(app\.js|app\.css|index\.html)$/, '');
  if (asset === '' || asset === 'index.html')
    return { status: 200, headers: { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8' }, body: shell(base) };
  const type = ASSETS[asset];
  if (type === undefined) return { status: 404, headers: SECURITY_HEADERS, body: `no ${asset} in the dashboard` };
  const folder = path.resolve(hubServices().settings.OPS_UI_DIR);
  try {
    const body = await readFile(path.join(folder, asset));
    return { status: 200, headers: { ...SECURITY_HEADERS, 'content-type': type }, body };
  } catch {
    return {
      status: 503,
      headers: SECURITY_HEADERS,
      body: `the dashboard is not built in ${folder}: run npm run build (or npm run build:ui)`,
    };
  }
}

app.http('opsUi', { methods: ['GET'], authLevel: 'anonymous', route: 'ops/ui/{*asset}', handler: opsUi });
