import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { ServiceBusRestSender } from '../../src/adapters/serviceBus/ServiceBusRestSender';
import { parseServiceBusConnectionString } from '../../src/config/serviceBusConnectionString';
import { DEFAULT_HOST_ID } from '../../local/runtime/FunctionsHost';
import { ensureHostKeys, type HostKeys } from '../../local/runtime/hostKeys';
import { LocalServiceBusNamespace } from '../../local/runtime/serviceBus/LocalServiceBusNamespace';
import { freePort, waitForPort } from '../../local/support/freePort';
import { startTestAzurite } from '../support/azurite';
import { spawnLocalHost, type SpawnedHost } from '../support/localHost';
import { waitFor } from '../support/stack';

jest.setTimeout(120_000);

const PROBE = path.join(__dirname, '..', 'fixtures', 'probeApp');

/**
 * The local runtime, run with a probe app instead of the hub: the host's behaviours the hub relies
 * on, pinned whatever the app (README, "Where the local runtime differs from Azure").
 */
describe('the local Functions host, as Azure runs it', () => {
  let azurite: Awaited<ReturnType<typeof startTestAzurite>>;
  let namespace: LocalServiceBusNamespace;
  let host: ChildProcess;
  let url: string;
  let keys: HostKeys;
  const output: string[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'order-hub-probe-'));
  const probeOut = path.join(dir, 'probe.jsonl');

  /** Starts the local host on the probe app; resolves with its exit code if it stops while starting. */
  function startHost(port: number, env: Record<string, string> = {}): SpawnedHost {
    return spawnLocalHost(
      PROBE,
      port,
      {
        AzureWebJobsStorage: azurite.connectionString,
        LOCAL_SERVICE_BUS_STORAGE: azurite.connectionString,
        ServiceBusConnection: namespace.connectionString,
        PROBE_OUT: probeOut,
        ...env,
      },
      output,
    );
  }

  beforeAll(async () => {
    azurite = await startTestAzurite();
    const queue = { lockDurationMs: 5000, maxDeliveryCount: 3, duplicateDetectionWindowMs: 600_000 };
    namespace = new LocalServiceBusNamespace({
      host: '127.0.0.1',
      port: await freePort(),
      storageConnectionString: azurite.connectionString,
      keyName: 'RootManageSharedAccessKey',
      key: 'probe-key',
      queues: [
        { name: 'probe-sessions', requiresSession: true, ...queue },
        { name: 'probe-plain', requiresSession: false, ...queue },
      ],
      log: () => undefined,
    });
    await namespace.start();
    const port = await freePort();
    host = startHost(port).child;
    await waitForPort(port, 60_000);
    url = `http://127.0.0.1:${port}`;
    keys = await ensureHostKeys(azurite.connectionString, DEFAULT_HOST_ID, []);
  });
  afterAll(async () => {
    host.kill('SIGTERM');
    await new Promise((resolve) => host.once('exit', resolve));
    await namespace.stop();
    await azurite.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = async (route: string, key?: string): Promise<{ status: number; body: string }> => {
    const response = await fetch(`${url}/api/${route}`, key === undefined ? {} : { headers: { 'x-functions-key': key } });
    return { status: response.status, body: await response.text() };
  };

  it('checks authorization levels as the host does: anonymous open, function any function key or the master key, admin the master key only', async () => {
    const functionKey = keys.functionKeys.default!;
    expect(await get('probe/anonymous')).toEqual({ status: 200, body: 'anonymous' });
    expect(await get('probe/function')).toEqual({ status: 401, body: '' });
    expect(await get('probe/function', functionKey)).toEqual({ status: 200, body: 'function' });
    expect(await get('probe/function', keys.master)).toEqual({ status: 200, body: 'function' });
    expect(await get('probe/admin', functionKey)).toEqual({ status: 401, body: '' });
    expect(await get('probe/admin', keys.master)).toEqual({ status: 200, body: 'admin' });
  });

  it('answers an unknown route and a method the function does not take with an empty 404', async () => {
    expect(await get('probe/nowhere')).toEqual({ status: 404, body: '' });
    const post = await fetch(`${url}/api/probe/anonymous`, { method: 'POST' });
    expect(post.status).toBe(404);
  });

  it('answers 500 for a function that throws, and for one that outlasts host.json functionTimeout', async () => {
    expect((await get('probe/throws')).status).toBe(500);
    const started = Date.now();
    expect((await get('probe/slow')).status).toBe(500);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('binds a Service Bus message as the worker gets it: the body parsed, the metadata camelCase with the message properties', async () => {
    const sender = new ServiceBusRestSender(parseServiceBusConnectionString(namespace.connectionString));
    await sender.send('probe-sessions', {
      messageId: 'probe-1:v1',
      sessionId: 'probe-1',
      correlationId: 'event-1',
      body: { id: 'probe-1', lines: [1, 2] },
      applicationProperties: { attempt: 2, eventId: 'event-1' },
    });
    await waitFor(
      () => existsSync(probeOut) && readFileSync(probeOut, 'utf8').includes('probe-1'),
      20_000,
      'the probe to receive the message',
    );
    const [received] = readFileSync(probeOut, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { function: string; body: unknown; triggerMetadata: Record<string, unknown> });
    expect(received?.function).toBe('probeSessions');
    expect(received?.body).toEqual({ id: 'probe-1', lines: [1, 2] });
    expect(received?.triggerMetadata).toMatchObject({
      messageId: 'probe-1:v1',
      sessionId: 'probe-1',
      correlationId: 'event-1',
      deliveryCount: 1,
      applicationProperties: { attempt: 2, eventId: 'event-1' },
      enqueuedTimeUtc: expect.any(String),
      lockToken: expect.any(String),
      sequenceNumber: expect.any(Number),
    });
  });

  it('does not start a trigger that asks for sessions on a queue without them, and says why', () => {
    expect(output.join('')).toContain(
      'probeMismatch: isSessionsEnabled is true but queue probe-plain does not take sessions; the trigger is not started',
    );
  });

  it('refuses to start an app with a trigger it does not run, naming the function', async () => {
    const { exited } = startHost(await freePort(), { PROBE_UNSUPPORTED: '1' });
    expect(await exited).toBe(1);
    expect(output.join('')).toContain('function probeStorageQueue: the local runtime does not run queueTrigger triggers');
  });

  /** The probe timer's invocations so far. */
  const timerRuns = (): {
    timer: { isPastDue: boolean; schedule: { adjustForDST: boolean }; scheduleStatus: { last: string; next: string } };
  }[] =>
    existsSync(probeOut)
      ? readFileSync(probeOut, 'utf8')
          .split('\n')
          .filter((line) => line.includes('"probeTimer"'))
          .map((line) => JSON.parse(line) as ReturnType<typeof timerRuns>[number])
      : [];

  it('runs a timer trigger on its schedule from an app setting (NCRONTAB, seconds first), one occurrence at a time, binding the timer as the worker does', async () => {
    const port = await freePort();
    const { child } = startHost(port, { PROBE_TIMER: '1', PROBE_SCHEDULE: '*/1 * * * * *' });
    try {
      await waitFor(() => timerRuns().length >= 3, 20_000, 'three runs of the timer');
      const [first, second] = timerRuns();
      expect(first?.timer).toMatchObject({ isPastDue: false, schedule: { adjustForDST: true } });
      expect(
        Date.parse(second?.timer.scheduleStatus.next ?? '') - Date.parse(first?.timer.scheduleStatus.next ?? ''),
      ).toBeGreaterThanOrEqual(1000);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });

  it('runs at start, past due, an occurrence it missed while down (useMonitor), and keeps the schedule status in its storage', async () => {
    const before = timerRuns().length;
    const status = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('azure-webjobs-hosts');
    await status.createIfNotExists();
    const blob = status.getBlockBlobClient(`timers/${DEFAULT_HOST_ID}/Host.Functions.probeTimer/status`);
    const missed = JSON.stringify({
      Last: '2025-01-01T00:00:00.000Z',
      Next: '2026-01-01T00:00:00.000Z',
      LastUpdated: '2025-01-01T00:00:00.000Z',
    });
    await blob.upload(missed, Buffer.byteLength(missed));
    const port = await freePort();
    // Once a year: only the missed occurrence can run now.
    const { child } = startHost(port, { PROBE_TIMER: '1', PROBE_SCHEDULE: '0 0 0 1 1 *' });
    try {
      await waitFor(() => timerRuns().length > before, 20_000, 'the missed occurrence');
      expect(timerRuns().at(-1)?.timer).toMatchObject({ isPastDue: true, scheduleStatus: { last: '2025-01-01T00:00:00.000Z' } });
      await waitFor(
        async () =>
          (JSON.parse((await blob.downloadToBuffer()).toString('utf8')) as { Next: string }).Next.startsWith(
            `${new Date().getUTCFullYear() + 1}-01-01`,
          ),
        10_000,
        'the next occurrence kept',
      );
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });

  it('runs a timer function now through the admin API, behind the master key only, answering 202 at once', async () => {
    const port = await freePort();
    const { child } = startHost(port, { PROBE_TIMER: '1', PROBE_SCHEDULE: '0 0 0 1 1 *' });
    try {
      await waitForPort(port, 20_000);
      const before = timerRuns().length;
      const run = (key?: string, name = 'probeTimer') =>
        fetch(`http://127.0.0.1:${port}/admin/functions/${name}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(key === undefined ? {} : { 'x-functions-key': key }) },
          body: JSON.stringify({ input: '' }),
        });
      expect((await run()).status).toBe(401);
      expect((await run(keys.functionKeys.default)).status).toBe(401);
      expect((await run(keys.master, 'noSuchFunction')).status).toBe(404);
      const accepted = await run(keys.master);
      expect(accepted.status).toBe(202);
      await waitFor(() => timerRuns().length > before, 10_000, 'the run the admin API asked for');
      expect(timerRuns().at(-1)?.timer).toMatchObject({ isPastDue: false });
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });

  it('refuses a timer whose schedule it cannot read, or whose app setting is missing, naming the function', async () => {
    const missing = startHost(await freePort(), { PROBE_TIMER: '1' });
    expect(await missing.exited).toBe(1);
    expect(output.join('')).toContain(
      "function probeTimer: '%PROBE_SCHEDULE%' does not resolve to a value (no app setting PROBE_SCHEDULE)",
    );
    const wrong = startHost(await freePort(), { PROBE_TIMER: '1', PROBE_SCHEDULE: 'every minute' });
    expect(await wrong.exited).toBe(1);
    expect(output.join('')).toContain("function probeTimer: the schedule 'every minute' is not an NCRONTAB expression of six fields");
  });
});
