/** `npx hub`: the operators' command line. Reads app settings from the environment, else local.settings.json. */
import { userInfo } from 'node:os';
import { Command } from 'commander';
import { createHubServices, type HubServices } from '../composition/hubServices';
import { readLocalSettingsFile } from '../config/localSettingsFile';
import { loadSettings } from '../config/settings';
import { replayParked } from '../flows/operations/replayParked';
import { decisionSchema, resolveParked } from '../flows/operations/resolveParked';
import { failureGroups, failureQuerySchema } from '../flows/operations/failureGroups';
import { orderDocument } from '../flows/operations/orderDocument';
import { dryRunReplay, dryRunSummary, entryKeyOf } from '../flows/operations/dryRunReplay';
import { JourneyRecorder } from '../flows/shared/JourneyRecorder';
import { describeRun } from '../flows/reconciliation/describeRun';
import { orderSearchSchema, searchOrders } from '../flows/operations/searchOrders';
import { orderStats, statsQuerySchema } from '../flows/operations/orderStats';
import { reconcileOrders } from '../flows/reconciliation/reconcileOrders';
import { formatTrace } from './formatTrace';
import { assertLocalStorageListening } from './localStorageCheck';
import { registerInventoryCommands } from './inventoryCommands';
import { registerMappingCommands } from './mappingCommands';
import { parsedOptions } from './parsedOptions';
import { registerTemplateCommands } from './templateCommands';

/** The hub's services from the app settings, once the storage they need is known to answer. */
async function services(program: Command): Promise<HubServices> {
  const file = program.opts<{ settings?: string }>().settings;
  const settings = loadSettings({ ...readLocalSettingsFile(process.cwd(), file), ...process.env });
  if (settings.AzureWebJobsStorage !== undefined) await assertLocalStorageListening(settings.AzureWebJobsStorage);
  return createHubServices(settings);
}

const program = new Command('hub')
  .description(
    'Order Hub operations: trace orders, list and replay parked messages, reconcile with the ECP, sync stock to the shop, check and test mappings and mail templates',
  )
  .option('--settings <file>', 'a local.settings.json to read app settings from');

program
  .command('trace')
  .description("show an order's journey through the hub, step by step, with what is parked of it, its confirmation and lifecycle")
  .argument('<orderId>', 'ECP order id')
  .option('--json', 'print JSON')
  .action(async (orderId: string, options: { json?: boolean }) => {
    const hub = await services(program);
    const trace = await orderDocument(orderId, hub.operations);
    console.log(options.json === true ? JSON.stringify(trace, null, 2) : formatTrace(trace));
    if (trace.steps.length === 0 && trace.ledger === undefined) process.exitCode = 1;
  });

program
  .command('failures')
  .description('parked messages grouped by code (and mapping version): count, first and last seen, a sample reason, the orders')
  .option('--from <time>', 'parked at or after (ISO date or time)')
  .option('--to <time>', 'parked before (ISO date or time)')
  .option('--limit <n>', 'groups per page', '50')
  .option('--cursor <cursor>', 'the page a previous listing named')
  .option('--json', 'print JSON')
  .action(async (options: { from?: string; to?: string; limit: string; cursor?: string; json?: boolean }) => {
    const { json, ...given } = options;
    const query = parsedOptions('failures', failureQuerySchema, given);
    if (query === undefined) return;
    const page = await failureGroups((await services(program)).operations.parked, query);
    if (json === true) return console.log(JSON.stringify(page, null, 2));
    if (page.groups.length === 0) return console.log('nothing parked');
    for (const g of page.groups) {
      console.log(
        `${g.code}${g.mappings === undefined ? '' : `  (${g.mappings})`}  ${g.count} parked, ${g.replayable} replayable, ${g.firstSeen} … ${g.lastSeen}`,
      );
      console.log(`    e.g. ${g.sampleReason}`);
      console.log(
        `    orders: ${g.orderIds.slice(0, 20).join(' ')}${g.orderIds.length > 20 ? ` … and ${g.orderIds.length - 20} more` : ''}`,
      );
    }
    console.log(
      `${page.totalEntries} parked in ${page.totalGroups} groups${page.nextCursor === undefined ? '' : `; next page: --cursor ${page.nextCursor}`}`,
    );
  });

program
  .command('orders')
  .description('find orders: by ECP or ERP order id, or by state and the date the hub received them, newest first')
  .option('--query <id>', 'an ECP order id or an ERP order id')
  .option('--state <state>', 'received, submitting, awaitingRetry, submitted or parked')
  .option('--from <time>', 'received at or after (ISO date or time); a week ago by default')
  .option('--to <time>', 'received before (ISO date or time); now by default')
  .option('--limit <n>', 'orders per page', '50')
  .option('--cursor <cursor>', 'the page a previous listing named')
  .option('--json', 'print JSON')
  .action(async (options: { json?: boolean } & Record<string, string | undefined>) => {
    const { json, ...given } = options;
    const search = parsedOptions('orders', orderSearchSchema, given);
    if (search === undefined) return;
    const page = await searchOrders(search, (await services(program)).operations);
    if (json === true) return console.log(JSON.stringify(page, null, 2));
    if (page.orders.length === 0) return console.log('no such order');
    for (const o of page.orders)
      console.log(
        `${o.orderId.padEnd(12)} ${o.state.padEnd(13)} received ${o.receivedAt}${o.erpOrderId === undefined ? '' : `  ERP ${o.erpOrderId}`}${o.lastErrorCode === undefined ? '' : `  ${o.lastErrorCode}`}`,
      );
    if (page.nextCursor !== undefined) console.log(`next page: --cursor ${page.nextCursor}`);
  });

program
  .command('stats')
  .description('orders per state, throughput per hour, placed → ERP p50/p95, parked per code, dead letters (the last day by default)')
  .option('--from <time>', 'from (ISO date or time)')
  .option('--to <time>', 'to (ISO date or time)')
  .option('--json', 'print JSON')
  .action(async (options: { from?: string; to?: string; json?: boolean }) => {
    const { json, ...given } = options;
    const query = parsedOptions('stats', statsQuerySchema, given);
    if (query === undefined) return;
    const stats = await orderStats(query, (await services(program)).operations);
    if (json === true) return console.log(JSON.stringify(stats, null, 2));
    console.log(`${stats.range.from} … ${stats.range.to}`);
    console.log(
      `orders by state: ${Object.entries(stats.ordersByState)
        .map(([state, n]) => `${n} ${state}`)
        .join(', ')}`,
    );
    const minutes = (ms?: number) => (ms === undefined ? '–' : `${(ms / 60_000).toFixed(1)} min`);
    console.log(
      `placed → ERP: p50 ${minutes(stats.placedToErp.p50Ms)}, p95 ${minutes(stats.placedToErp.p95Ms)} (${stats.placedToErp.orders} orders)`,
    );
    console.log(`parked: ${stats.parkedByCode.map((p) => `${p.count} ${p.code}`).join(', ') || 'nothing'}`);
    console.log(
      `dead letters: ${stats.deadLetters.map((d) => `${d.queue} ${d.deadLetters ?? `unknown (${d.unavailable ?? ''})`}`).join(', ')}`,
    );
    for (const h of stats.throughputPerHour.filter((x) => x.received + x.submitted > 0))
      console.log(`  ${h.hour.slice(0, 13)}h  received ${h.received}  submitted ${h.submitted}`);
  });

const parked = program.command('parked').description('messages that failed for good, kept for replay');

parked
  .command('list')
  .description('list parked messages with their reason')
  .option('--code <code>', 'only this error code, e.g. ERP.REJECTED')
  .option('--json', 'print JSON')
  .action(async (options: { code?: string; json?: boolean }) => {
    const all = await (await services(program)).replay.parked.list();
    const shown = all.filter((m) => options.code === undefined || m.code === options.code);
    if (options.json === true)
      return console.log(
        JSON.stringify(
          shown.map(({ payload: _p, ...rest }) => rest),
          null,
          2,
        ),
      );
    if (shown.length === 0) return console.log('no parked messages');
    for (const m of shown) {
      const what = [
        m.orderId === '' ? '(no valid order id)' : m.orderId,
        m.source,
        m.code,
        `attempts ${m.attempts}`,
        `parked ${m.parkedAt}`,
      ];
      if (m.messageId !== undefined) what.splice(2, 0, m.messageId);
      if (!m.replayable) what.push('not replayable');
      console.log(`${what.join('  ')}\n    ${m.reason}`);
      for (const detail of m.details.slice(0, 10)) console.log(`    - ${detail}`);
    }
    console.log(`${shown.length} parked`);
  });

for (const action of ['resolve', 'dismiss', 'restore'] as const)
  parked
    .command(action)
    .description(
      action === 'restore'
        ? 'put resolved or dismissed entries back among the open failures'
        : `${action} parked entries (${action === 'resolve' ? 'fixed by other means' : 'nothing to do'}): kept, out of the open failures, never replayed while so`,
    )
    .argument('<orderIds...>', 'ECP order ids whose entries to decide on')
    .requiredOption('--reason <text>', 'why: kept with the decision and on the journey')
    .option('--code <code>', 'only the entries with this code')
    .action(async (orderIds: string[], options: { reason: string; code?: string }) => {
      const decision = parsedOptions(`parked ${action}`, decisionSchema, { action, reason: options.reason });
      if (decision === undefined) return;
      const hub = await services(program);
      const by = `${userInfo().username} (npx hub)`;
      const among = await hub.operations.parked.overview(action === 'restore' ? 'resolved' : 'open');
      const entries = among
        .filter((m) => orderIds.includes(m.orderId) && (options.code === undefined || m.code === options.code))
        .map(entryKeyOf);
      if (entries.length === 0) {
        console.error(
          `nothing ${action === 'restore' ? 'resolved' : 'open'} parked for ${orderIds.join(', ')}${options.code === undefined ? '' : ` with ${options.code}`}`,
        );
        process.exitCode = 1;
        return;
      }
      const results = await resolveParked(
        { entries },
        { action, reason: decision.reason, by },
        { parked: hub.operations.parked, inFlight: hub.stock.inFlight, now: () => new Date() },
        new JourneyRecorder(hub.journeys, `hub parked ${action}`),
      );
      for (const r of results) console.log(`${r.outcome} ${r.orderId} (${r.source}, ${r.code})`);
      const missing = orderIds.filter((id) => !results.some((r) => r.orderId === id && r.outcome !== 'gone'));
      for (const id of missing) console.error(`nothing ${action === 'restore' ? 'resolved' : 'open'} parked for ${id}`);
      if (missing.length > 0) process.exitCode = 1;
    });

parked
  .command('replay')
  .description('send parked messages back to their queue (or process parked events again), once the cause is fixed')
  .argument('[orderIds...]', 'ECP order ids to replay')
  .option('--all', 'replay every parked message')
  .option('--code <code>', 'only parked messages with this error code')
  .option('--dry-run', 'say, per entry, whether it would pass now with the mappings in force; send nothing')
  .action(async (orderIds: string[], options: { all?: boolean; code?: string; dryRun?: boolean }) => {
    if (orderIds.length === 0 && options.all !== true && options.code === undefined) {
      throw new Error('name the orders to replay, or use --all or --code <code>');
    }
    const hub = await services(program);
    if (options.dryRun === true) {
      const chosen = (await hub.operations.parked.list()).filter(
        (m) => (orderIds.length === 0 || orderIds.includes(m.orderId)) && (options.code === undefined || m.code === options.code),
      );
      const results = dryRunReplay(chosen, hub.operations);
      for (const r of results)
        console.log(
          `${r.verdict.padEnd(13)} ${r.orderId || '(no valid order id)'} (${r.parkedCode})${r.reason === undefined ? '' : `: ${r.reason}`}`,
        );
      const summary = dryRunSummary(results);
      console.log(
        `dry run, nothing sent: ${Object.entries(summary)
          .map(([verdict, n]) => `${n} ${verdict}`)
          .join(', ')}`,
      );
      return;
    }
    const results = await replayParked(
      { ...(orderIds.length > 0 ? { orderIds } : {}), ...(options.code === undefined ? {} : { code: options.code }) },
      hub.replay,
      new JourneyRecorder(hub.journeys, 'hub parked replay'),
      { by: `${userInfo().username} (npx hub)` },
    );
    for (const r of results) {
      const line = `${r.outcome} ${r.message.orderId === '' ? '(no valid order id)' : r.message.orderId} (${r.message.code}): ${r.detail}`;
      if (r.outcome === 'replayed') console.log(line);
      else console.error(line);
    }
    const missing = orderIds.filter((id) => !results.some((r) => r.message.orderId === id));
    for (const id of missing) console.error(`not parked: ${id}`);
    const replayed = results.filter((r) => r.outcome === 'replayed').length;
    console.log(`${replayed} replayed${replayed < results.length ? `, ${results.length - replayed} kept` : ''}`);
    if (missing.length > 0 || replayed < results.length) process.exitCode = 1;
  });

program
  .command('reconcile')
  .description("compare the ECP's recent orders with the ledger now, and bring lost ones on their way (what the reconciler timer does)")
  .option('--runs <n>', 'instead, show the latest runs the reconciler kept')
  .option('--json', 'print JSON')
  .action(async (options: { runs?: string; json?: boolean }) => {
    const hub = await services(program);
    if (options.runs !== undefined) {
      const limit = Number(options.runs);
      if (!Number.isInteger(limit) || limit < 1) throw new Error(`--runs takes a whole number of runs, not '${options.runs}'`);
      const runs = await hub.reconcile.runs.latest(limit);
      if (options.json === true) return console.log(JSON.stringify(runs, null, 2));
      if (runs.length === 0) return console.log('no reconciler run kept yet');
      for (const run of runs) console.log(`${run.startedAt}  ${describeRun(run)}  (by ${run.by})`);
      return;
    }
    const run = await reconcileOrders(hub.reconcile, new JourneyRecorder(hub.journeys, 'hub reconcile'), 'hub reconcile');
    if (options.json === true) console.log(JSON.stringify(run, null, 2));
    else {
      for (const n of run.notes)
        console.log(`${n.result.padEnd(12)} ${n.orderId}${n.code === undefined ? '' : ` (${n.code})`}: ${n.detail}`);
      console.log(describeRun(run));
    }
    if (run.outcome !== 'Success') process.exitCode = 1;
  });

registerMappingCommands(program);
registerTemplateCommands(program);
registerInventoryCommands(program, () => services(program));

program.parseAsync().catch((error: unknown) => {
  console.error(`hub: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
});
