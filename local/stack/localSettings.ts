import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/** The Values of local.settings.json, or of local.settings.sample.json when there is none, as `func start` reads them. */
export function readLocalSettings(root = PROJECT_ROOT): Record<string, string> {
  const own = path.join(root, 'local.settings.json');
  const file = existsSync(own) ? own : path.join(root, 'local.settings.sample.json');
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { Values?: Record<string, unknown> };
  return Object.fromEntries(Object.entries(parsed.Values ?? {}).map(([k, v]) => [k, String(v)]));
}
