import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Azurite } from '../../local/azurite/Azurite';
import { freePort } from '../../local/support/freePort';

/**
 * Azurite on ports found free a moment before: another test's server may take one of them in
 * between, so a start that fails is tried again on other ports (twice at most), with the reason
 * of each failure kept for the error.
 */
async function startOnFreePorts(location: string): Promise<Azurite> {
  const reasons: string[] = [];
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const [blobPort, queuePort, tablePort] = [await freePort(), await freePort(), await freePort()];
    try {
      return await Azurite.start({ location, blobPort, queuePort, tablePort });
    } catch (error) {
      reasons.push(`attempt ${attempt} (ports ${blobPort}, ${queuePort}, ${tablePort}): ${(error as Error).message}`);
    }
  }
  throw new Error(`Azurite would not start:\n${reasons.join('\n')}`);
}

/** Azurite alone, on free ports, with a data folder of its own that is removed on stop. */
export async function startTestAzurite(): Promise<{ connectionString: string; stop: () => Promise<void> }> {
  const location = mkdtempSync(path.join(tmpdir(), 'order-hub-azurite-'));
  const azurite = await startOnFreePorts(location);
  return {
    connectionString: azurite.connectionString,
    stop: async () => {
      await azurite.stop();
      rmSync(location, { recursive: true, force: true });
    },
  };
}
