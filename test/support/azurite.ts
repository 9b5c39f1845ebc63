import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Azurite } from '../../local/azurite/Azurite';
import { freePort } from '../../local/support/freePort';

/** Azurite alone, on free ports, with a data folder of its own that is removed on stop. */
export async function startTestAzurite(): Promise<{ connectionString: string; stop: () => Promise<void> }> {
  const location = mkdtempSync(path.join(tmpdir(), 'order-hub-azurite-'));
  const [blobPort, queuePort, tablePort] = [await freePort(), await freePort(), await freePort()];
  const azurite = await Azurite.start({ location, blobPort, queuePort, tablePort });
  return {
    connectionString: azurite.connectionString,
    stop: async () => {
      await azurite.stop();
      rmSync(location, { recursive: true, force: true });
    },
  };
}
