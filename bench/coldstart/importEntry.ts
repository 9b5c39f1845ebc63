import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../local/stack/localSettings';

const IMPORTER = path.join(__dirname, 'freshImport.js');

/** One cold import of `entry` in a fresh process (freshImport.js): how long it took, and which packages beside it it loaded. */
export function importEntry(entry: string, env: Record<string, string> = {}): { ms: number; loaded: string[] } {
  const output = execFileSync(process.execPath, [IMPORTER, entry, PROJECT_ROOT, JSON.stringify(env)], { encoding: 'utf8' });
  // The last two lines: what the app itself prints at start comes before.
  const [ms, loaded] = output.trim().split('\n').slice(-2);
  return { ms: Number(ms), loaded: JSON.parse(loaded ?? '[]') as string[] };
}
