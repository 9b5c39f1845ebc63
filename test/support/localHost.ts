import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

export interface SpawnedHost {
  child: ChildProcess;
  /** Resolves with the exit code (or null when killed by a signal). */
  exited: Promise<number | null>;
}

/**
 * The local Functions host (local/host/main.ts) in a process of its own, on a fixture app and its
 * host.json, as `npm start` runs it on the hub; what it prints is appended to `output`.
 */
export function spawnLocalHost(appDir: string, port: number, env: Record<string, string>, output: string[]): SpawnedHost {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'local', 'host', 'main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      HUB_APP_ENTRY: path.join(appDir, 'main.ts'),
      HUB_HOST_JSON: path.join(appDir, 'host.json'),
      HUB_HOST_PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  return { child, exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
}
