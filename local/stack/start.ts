/** `npm start`: the whole hub on this machine until Ctrl-C or SIGTERM. */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { LocalStack } from './LocalStack';
import { PROJECT_ROOT } from './localSettings';
import { RUNNING_STACK_FILE, type RunningStack } from './runningStack';

const program = new Command('start')
  .description('Run the whole hub locally: Azurite, the Event Grid topic, the Service Bus namespace, the sandboxes and the Functions host')
  .option(
    '--data <folder>',
    "where Azurite's data and the sandboxes' orders live (kept across restarts)",
    path.join(PROJECT_ROOT, '.local'),
  )
  .option('--free-ports', 'take any free ports instead of the usual ones (7071, 7100–7106, 10000–10002)', false);

async function main(): Promise<void> {
  const options = program.parse().opts<{ data: string; freePorts: boolean }>();
  const data = path.resolve(options.data);
  // Azurite's data and the sandboxes' orders both survive a restart, as a real ECP's and ERP's would.
  const stack = await LocalStack.start({
    dataDir: path.join(data, 'azurite'),
    sandboxDataDir: path.join(data, 'sandboxes'),
    ...(options.freePorts ? { ports: 'free' as const } : {}),
  });
  const running: RunningStack = { pid: process.pid, ports: stack.ports, functionKey: stack.functionKey, childPids: stack.childPids };
  mkdirSync(data, { recursive: true });
  writeFileSync(path.join(data, RUNNING_STACK_FILE), JSON.stringify(running, null, 2));
  const p = stack.ports;
  console.log(
    [
      '',
      'Order Hub is running locally:',
      `  Functions host      http://127.0.0.1:${p.functions}/api   function key: ${stack.functionKey}`,
      `  Dashboard           http://127.0.0.1:${p.functions}/api/ops/ui?code=${encodeURIComponent(stack.functionKey)}   (the page keeps the key in the tab, not in its address)`,
      `  Event Grid topic    http://127.0.0.1:${p.eventGrid}/topics/ecp-orders/api/events (delivers to /runtime/webhooks/eventgrid)`,
      `  Service Bus         http://127.0.0.1:${p.serviceBus}   (queues online-orders, erp-updates, confirmations; REST)`,
      `  Sandbox ECP         http://127.0.0.1:${p.ecp}   (POST /orders places an order)`,
      `  Sandbox ERP         http://127.0.0.1:${p.erp}   (GET /sales-orders, GET /items/stock?itemNo=10030, POST /_control/stock, POST /_control/faults, POST /_control/callbacks)`,
      `  Sandbox mail sink   http://127.0.0.1:${p.mail}   (GET /_control/mails: what SendGrid would have sent)`,
      `  Sandbox Mailchimp   http://127.0.0.1:${p.mailchimp}/3.0   (GET /_control/members: the mailing list)`,
      `  Sandbox payments    http://127.0.0.1:${p.payment}   (POST /v1/tokens makes a card token, as the browser SDK would; GET /_control/charges)`,
      `  Azurite             blob ${p.blob}, queue ${p.queue}, table ${p.table}`,
      `  Data                ${path.relative(process.cwd(), data) || '.'}/azurite, ${path.relative(process.cwd(), data) || '.'}/sandboxes (kept across restarts)`,
      '',
      `Try: curl -s -X POST http://127.0.0.1:${p.ecp}/orders -H 'content-type: application/json' -d '{}'`,
      '     npx hub trace <orderId>      npx hub failures      npx hub stats      npx hub reconcile      npx hub inventory show MUG-LOGO',
      'The reconciler runs every minute (RECONCILER_SCHEDULE); the ECP loses events with POST /_control/faults {"lostEventRate": 0.2}.',
      `Stock goes to the shop every minute (STOCK_SYNC_SCHEDULE): curl -s -X POST http://127.0.0.1:${p.erp}/_control/stock -H 'content-type: application/json' -d '{"itemNo":"10030","location":"MAIN","quantity":40}'`,
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = (signal: string): void => {
    // A Ctrl-C reaches this process twice (from the terminal and from npm): one stop is enough.
    if (stopping) return;
    stopping = true;
    const started = Date.now();
    console.log(`${signal}: stopping the local stack`);
    stack.stop().then(
      () => {
        rmSync(path.join(data, RUNNING_STACK_FILE), { force: true });
        console.log(`stopped in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        process.exit(0);
      },
      (error: unknown) => {
        console.error(`the local stack did not stop cleanly: ${String(error)}`);
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
