/**
 * Azurite in a process the stack supervises (`node --import tsx azuriteProcess.ts <azurite options>`):
 * Azurite's own entry, which reads its options from the command line and closes its services (writing
 * its data to disk) on SIGTERM; this adds the stack's IPC stop and, if the stack is killed, a stop too,
 * so that Azurite never outlives it.
 */
import { superviseFromParent } from '../support/supervision';

// Azurite closes its services on this signal; emitting it runs that handler without a real signal.
const shutDown = (): void => {
  process.emit('SIGTERM');
  // Azurite's process ends once its servers have closed and nothing else is open: the IPC channel
  // would keep it, so it is closed too. Never wait longer than this.
  if (process.connected) process.disconnect();
  setTimeout(() => process.exit(0), 3000).unref();
};

superviseFromParent({ stop: shutDown, gone: shutDown });
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('azurite/dist/src/azurite.js');
