/**
 * The local Functions host process: `func start` for this project. Reads the app settings from its
 * environment (the stack passes local.settings.json's Values), loads src/main.ts and serves it.
 */
import path from 'node:path';
import { FunctionsHost } from '../runtime/FunctionsHost';
import type { CoreLog } from '../runtime/functionsCore';
import { stopOnSignals } from '../support/stopOnSignals';

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const quiet = process.env.HUB_HOST_QUIET === '1';

const log: CoreLog = (level, category, message) => {
  if (level === 'trace' || level === 'debug' || (quiet && level === 'information')) return;
  const line = `${new Date().toISOString()} ${level.padEnd(11)} ${category}: ${message}`;
  if (level === 'error' || level === 'critical' || level === 'warning') console.error(line);
  else console.log(line);
};

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..');
  const host = await FunctionsHost.start({
    // HUB_APP_ENTRY=dist/main.js runs the deployment bundle instead of the sources.
    appEntry: path.resolve(root, process.env.HUB_APP_ENTRY ?? path.join('src', 'main.ts')),
    hostJsonPath: path.join(root, 'host.json'),
    host: '127.0.0.1',
    port: env('HUB_HOST_PORT', 7071),
    storageConnectionString: process.env.AzureWebJobsStorage ?? '',
    ...(process.env.LOCAL_SERVICE_BUS_STORAGE === undefined
      ? {}
      : { serviceBusStorageConnectionString: process.env.LOCAL_SERVICE_BUS_STORAGE }),
    pollIntervalMs: env('HUB_QUEUE_POLL_MS', 200),
    log,
  });
  console.log(
    `Functions host listening on ${host.url}: ${host.registrations.map((r) => `${r.metadata.name} (${r.trigger.type})`).join(', ')}`,
  );
  stopOnSignals('the Functions host', () => host.stop());
}

main().catch((error: unknown) => {
  console.error(`The Functions host could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
