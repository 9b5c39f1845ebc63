import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The `Values` of local.settings.json in `dir`, or of local.settings.sample.json when there is
 * none, as `func start` reads them: every value as text. Empty when neither file exists.
 */
export function readLocalSettingsFile(dir: string, file?: string): Record<string, string> {
  const candidates =
    file !== undefined ? [path.resolve(dir, file)] : ['local.settings.json', 'local.settings.sample.json'].map((f) => path.join(dir, f));
  const found = candidates.find((f) => existsSync(f));
  if (found === undefined) {
    if (file !== undefined) throw new Error(`settings file ${file} not found`);
    return {};
  }
  const parsed = JSON.parse(readFileSync(found, 'utf8')) as { Values?: Record<string, unknown> };
  return Object.fromEntries(Object.entries(parsed.Values ?? {}).map(([k, v]) => [k, String(v)]));
}
