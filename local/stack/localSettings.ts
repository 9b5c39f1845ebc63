import path from 'node:path';
import { readLocalSettingsFile } from '../../src/config/localSettingsFile';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/** The Values of local.settings.json, or of local.settings.sample.json when there is none, as `func start` reads them. */
export function readLocalSettings(root = PROJECT_ROOT): Record<string, string> {
  return readLocalSettingsFile(root);
}
