import { connect } from 'node:net';

/** The table endpoint a storage connection string names, when it names one over plain http (a local emulator). */
function localTableEndpoint(connectionString: string): URL | undefined {
  if (/UseDevelopmentStorage=true/i.test(connectionString)) return new URL('http://127.0.0.1:10002');
  const endpoint = /TableEndpoint=([^;]+)/i.exec(connectionString)?.[1];
  if (endpoint === undefined) return undefined;
  const url = new URL(endpoint);
  return url.protocol === 'http:' ? url : undefined;
}

function listening(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    const done = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

/**
 * For a local storage account (Azurite over http), checks at once that something listens, so that
 * a stopped `npm start` is named plainly instead of after the storage SDK's retries.
 */
export async function assertLocalStorageListening(connectionString: string): Promise<void> {
  const endpoint = localTableEndpoint(connectionString);
  if (endpoint === undefined) return;
  if (await listening(endpoint.hostname, Number(endpoint.port || 80), 1000)) return;
  throw new Error(
    `nothing answers at ${endpoint.host}, the storage of AzureWebJobsStorage: start the local stack with \`npm start\` (or point --settings at another local.settings.json)`,
  );
}
