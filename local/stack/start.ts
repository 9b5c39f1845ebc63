/** `npm start`: the whole hub on this machine until Ctrl-C or SIGTERM. */
import { LocalStack } from './LocalStack';

async function main(): Promise<void> {
  const stack = await LocalStack.start();
  const p = stack.ports;
  console.log(
    [
      '',
      'Order Hub is running locally:',
      `  Functions host      http://127.0.0.1:${p.functions}/api  (Event Grid webhook /runtime/webhooks/EventGrid)`,
      `  Event Grid topic    http://127.0.0.1:${p.eventGrid}/topics/ecp-orders/api/events`,
      `  Sandbox ECP         http://127.0.0.1:${p.ecp}   (POST /orders places an order)`,
      `  Sandbox ERP         http://127.0.0.1:${p.erp}   (GET /sales-orders, POST /_control/faults)`,
      `  Azurite             blob ${p.blob}, queue ${p.queue}, table ${p.table}  (data in .local/azurite)`,
      '',
      `Try: curl -s -X POST http://127.0.0.1:${p.ecp}/orders -H 'content-type: application/json' -d '{}'`,
      '     npx hub trace <orderId>      npx hub parked list',
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping the local stack`);
    stack.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`The local stack could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
