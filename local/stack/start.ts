/** `npm start`: the whole hub on this machine until Ctrl-C or SIGTERM. */
import path from 'node:path';
import { stopOnSignals } from '../support/stopOnSignals';
import { LocalStack } from './LocalStack';
import { PROJECT_ROOT } from './localSettings';

async function main(): Promise<void> {
  // Azurite's data and the sandboxes' orders both survive a restart, as a real ECP's and ERP's would.
  const stack = await LocalStack.start({ sandboxDataDir: path.join(PROJECT_ROOT, '.local', 'sandboxes') });
  const p = stack.ports;
  console.log(
    [
      '',
      'Order Hub is running locally:',
      `  Functions host      http://127.0.0.1:${p.functions}/api  (Event Grid webhook /runtime/webhooks/EventGrid)`,
      `  Event Grid topic    http://127.0.0.1:${p.eventGrid}/topics/ecp-orders/api/events`,
      `  Sandbox ECP         http://127.0.0.1:${p.ecp}   (POST /orders places an order)`,
      `  Sandbox ERP         http://127.0.0.1:${p.erp}   (GET /sales-orders, POST /_control/faults, POST /_control/callbacks)`,
      `  Sandbox mail sink   http://127.0.0.1:${p.mail}   (GET /_control/mails: what SendGrid would have sent)`,
      `  Azurite             blob ${p.blob}, queue ${p.queue}, table ${p.table}  (data in .local/azurite; sandbox orders in .local/sandboxes)`,
      '',
      `Try: curl -s -X POST http://127.0.0.1:${p.ecp}/orders -H 'content-type: application/json' -d '{}'`,
      '     npx hub trace <orderId>      npx hub parked list',
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
  stopOnSignals('the local stack', () => stack.stop());
}

main().catch((error: unknown) => {
  console.error(`The local stack could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
