/**
 * The local Functions host process: `func start` for this project. Reads the app settings from its
 * environment (the stack passes local.settings.json's Values), loads the app and serves it. The
 * stack supervises it: it stops when asked (or signalled) and leaves at once if the stack is gone.
 */
import path from 'node:path';
import { FunctionsHost } from '../runtime/FunctionsHost';
import type { CoreLog } from '../runtime/functionsCore';
import { superviseFromParent } from '../support/supervision';

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
  const running: { host?: FunctionsHost } = {};
  superviseFromParent({
    stop: (why) => {
      console.log(`${why}: stopping the Functions host`);
      (running.host?.stop() ?? Promise.resolve()).then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(`the Functions host did not stop cleanly: ${String(error)}`);
          process.exit(1);
        },
      );
    },
    // The stack was killed: go now; messages this host held come back when their locks expire.
    gone: () => process.exit(0),
  });
  const host = await FunctionsHost.start({
    // HUB_APP_ENTRY=dist/main.js runs the deployment bundle instead of the sources.
    appEntry: path.resolve(root, process.env.HUB_APP_ENTRY ?? path.join('src', 'main.ts')),
    hostJsonPath: path.resolve(root, process.env.HUB_HOST_JSON ?? 'host.json'),
    host: '127.0.0.1',
    port: env('HUB_HOST_PORT', 7071),
    storageConnectionString: process.env.AzureWebJobsStorage ?? '',
    ...(process.env.LOCAL_SERVICE_BUS_STORAGE === undefined
      ? {}
      : { serviceBusStorageConnectionString: process.env.LOCAL_SERVICE_BUS_STORAGE }),
    pollIntervalMs: env('HUB_QUEUE_POLL_MS', 200),
    log,
  });
  running.host = host;
  console.log(
    `Functions host listening on ${host.url}: ${host.registrations.map((r) => `${r.metadata.name} (${r.trigger.type})`).join(', ')}`,
  );
}

main().catch((error: unknown) => {
  console.error(`The Functions host could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
