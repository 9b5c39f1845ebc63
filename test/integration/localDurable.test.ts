import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TableClient } from '@azure/data-tables';
import { freePort, waitForPort } from '../../local/support/freePort';
import { startTestAzurite } from '../support/azurite';
import { spawnLocalHost, type SpawnedHost } from '../support/localHost';
import { waitFor } from '../support/stack';

jest.setTimeout(120_000);

const APP = path.join(__dirname, '..', 'fixtures', 'durableApp');

interface Status {
  runtimeStatus: string;
  output: unknown;
  customStatus: unknown;
  input: unknown;
  historyEvents?: { EventType: string; EventId: number; TaskScheduledId?: number; TimerId?: number }[];
}

/**
 * The local Durable backend on its own, with a probe app whose orchestrations run through
 * durable-functions' own replay and whose HTTP functions use its own client: what an app in Azure
 * gets from the Durable extension, pinned whatever the app.
 */
describe('the local Durable Functions backend', () => {
  let azurite: Awaited<ReturnType<typeof startTestAzurite>>;
  let host: SpawnedHost;
  let base: string;
  const output: string[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'order-hub-durable-'));
  const probeOut = path.join(dir, 'probe.jsonl');

  async function startHost(): Promise<void> {
    const port = await freePort();
    host = spawnLocalHost(APP, port, { AzureWebJobsStorage: azurite.connectionString, PROBE_OUT: probeOut }, output);
    await waitForPort(port, 60_000);
    base = `http://127.0.0.1:${port}`;
  }

  beforeAll(async () => {
    azurite = await startTestAzurite();
    await startHost();
  });
  afterAll(async () => {
    host.child.kill('SIGTERM');
    await host.exited;
    await azurite.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts an orchestration through the app's durable client; the check-status response's URLs. */
  async function start(name: string, id: string, input?: unknown): Promise<{ status: number; urls: Record<string, string> }> {
    const response = await fetch(`${base}/api/start/${name}/${id}`, {
      method: 'POST',
      body: input === undefined ? '' : JSON.stringify(input),
    });
    return { status: response.status, urls: (await response.json()) as Record<string, string> };
  }

  async function status(id: string, query = ''): Promise<{ code: number; body: Status; location: string | null }> {
    const { urls } = await payload(id);
    const response = await fetch(`${urls.statusQueryGetUri}${query}`);
    // Decoded whole: jest's environment decodes a streamed body chunk by chunk, splitting characters at chunk edges.
    const body = JSON.parse(Buffer.from(await response.arrayBuffer()).toString('utf8')) as Status;
    return { code: response.status, body, location: response.headers.get('location') };
  }

  async function payload(id: string): Promise<{ urls: Record<string, string> }> {
    const response = await fetch(`${base}/api/manage/payload/${id}`);
    return { urls: (await response.json()) as Record<string, string> };
  }

  /** Polls the public status endpoint until the instance is no longer pending or running. */
  async function finished(id: string, timeoutMs = 30_000): Promise<{ code: number; body: Status }> {
    let last: { code: number; body: Status } | undefined;
    await waitFor(
      async () => {
        last = await status(id, '&showHistory=true&showHistoryOutput=true');
        return last.code !== 202;
      },
      timeoutMs,
      `orchestration ${id} to finish`,
    );
    return last!;
  }

  const steps = (body: Status): string[] =>
    (body.historyEvents ?? []).map((e) => e.EventType).filter((t) => t !== 'OrchestratorStarted' && t !== 'OrchestratorCompleted');

  const probeRecords = (): { activity: string; key: string; event: string }[] =>
    existsSync(probeOut)
      ? readFileSync(probeOut, 'utf8')
          .split('\n')
          .filter((l) => l !== '')
          .map((l) => JSON.parse(l) as { activity: string; key: string; event: string })
      : [];

  it('chains activities: each result feeds the next step, and the history records each', async () => {
    expect((await start('chain', 'chain-1')).status).toBe(202);
    const { code, body } = await finished('chain-1');
    expect(code).toBe(200);
    expect(body).toMatchObject({ runtimeStatus: 'Completed', output: ['a', 'b', 'c'] });
    expect(steps(body)).toEqual([
      'ExecutionStarted',
      'TaskScheduled',
      'TaskCompleted',
      'TaskScheduled',
      'TaskCompleted',
      'TaskScheduled',
      'TaskCompleted',
      'ExecutionCompleted',
    ]);
  });

  it('fans out to 20 activities and fans in with every result, and keeps the custom status', async () => {
    await start('fanOut', 'fan-20', 20);
    const { code, body } = await finished('fan-20');
    expect(code).toBe(200);
    expect(body).toMatchObject({ runtimeStatus: 'Completed', output: 420, customStatus: { branches: 20 }, input: 20 });
    expect(steps(body).filter((s) => s === 'TaskScheduled')).toHaveLength(20);
    expect(steps(body).filter((s) => s === 'TaskCompleted')).toHaveLength(20);
    // Completions that come in together are one replay (one OrchestratorStarted), not one each.
    const replays = (body.historyEvents ?? []).filter((e) => e.EventType === 'OrchestratorStarted').length;
    expect(replays).toBeLessThan(6);
  });

  it('carries inputs and results larger than a queue message or a table property (kept in blobs and split properties, as in Azure), characters past ASCII intact', async () => {
    const big = { lines: Array.from({ length: 3000 }, (_, i) => ({ line: i, text: `line ${i} of a large order ✓` })) };
    expect(JSON.stringify(big).length).toBeGreaterThan(100_000);
    await start('echoInput', 'large-1', big);
    const { code, body } = await finished('large-1');
    expect(code).toBe(200);
    expect(body.output).toEqual(big);
    expect(body.input).toEqual(big);
  });

  it('keeps a short history in the instance row and moves a long one to rows of its own, an event a row, as it grows', async () => {
    const instances = TableClient.fromConnectionString(azurite.connectionString, 'ProbeHubInstances', { allowInsecureConnection: true });
    const rowsOf = async (id: string) => {
      const rows: Record<string, unknown>[] = [];
      for await (const row of instances.listEntities({ queryOptions: { filter: `PartitionKey eq '${id}'` } })) rows.push(row);
      return rows;
    };
    // 3 steps of 1,000 characters: the history stays in the row.
    await start('longChain', 'chain-short', { steps: 3, size: 1000 });
    expect((await finished('chain-short')).body.output).toBe(3 * 1002);
    const short = await rowsOf('chain-short');
    expect(short).toHaveLength(1);
    expect(short[0]).toHaveProperty('History');
    // 40 steps of 8,000 (each echoed twice in the history, input and result): past the row's share midway.
    await start('longChain', 'chain-long', { steps: 40, size: 8000 });
    const { code, body } = await finished('chain-long', 60_000);
    expect(code).toBe(200);
    expect(body.output).toBe(10 * 8002 + 30 * 8003);
    expect(steps(body)).toEqual([
      'ExecutionStarted',
      ...Array.from({ length: 40 }, () => ['TaskScheduled', 'TaskCompleted']).flat(),
      'ExecutionCompleted',
    ]);
    const long = await rowsOf('chain-long');
    const row = long.find((r) => r.rowKey === '');
    expect(row).not.toHaveProperty('History');
    expect(row).not.toHaveProperty('HistoryParts');
    expect(long.length - 1).toBe(row?.HistoryLength);
  });

  it('retries a failing activity with the retry options: TaskFailed → TimerCreated → TimerFired → TaskScheduled, until it succeeds', async () => {
    await start('retrying', 'retry-ok', { failures: 2 });
    const { body } = await finished('retry-ok');
    expect(body.output).toBe('succeeded at attempt 3');
    expect(steps(body)).toEqual([
      'ExecutionStarted',
      'TaskScheduled',
      'TaskFailed',
      'TimerCreated',
      'TimerFired',
      'TaskScheduled',
      'TaskFailed',
      'TimerCreated',
      'TimerFired',
      'TaskScheduled',
      'TaskCompleted',
      'ExecutionCompleted',
    ]);
  });

  it('gives the orchestrator the failure after the last attempt, and runs no attempt past the maximum', async () => {
    await start('retrying', 'retry-exhausted', { failures: 5 });
    const { body } = await finished('retry-exhausted');
    expect(body.output).toEqual({ failedForGood: expect.stringContaining('flaky fails attempt 3') as unknown });
    expect(probeRecords().filter((r) => r.key === 'retry-exhausted')).toHaveLength(3);
  });

  it('answers 202 with a Location while a timer runs, and wakes the orchestration when it fires', async () => {
    await start('sleeper', 'sleeper-1');
    const running = await status('sleeper-1');
    expect(running.code).toBe(202);
    expect(running.location).toContain('/runtime/webhooks/durabletask/instances/sleeper-1');
    const { code, body } = await finished('sleeper-1');
    expect(code).toBe(200);
    expect(String(body.output)).toMatch(/^woke at /);
    expect(steps(body)).toEqual(['ExecutionStarted', 'TimerCreated', 'TimerFired', 'ExecutionCompleted']);
  });

  it('delivers an external event raised through the client; a finished instance answers 410, an unknown one 404', async () => {
    await start('approval', 'approval-1');
    await waitFor(async () => (await status('approval-1')).body.runtimeStatus === 'Running', 10_000, 'the instance to run');
    expect((await fetch(`${base}/api/manage/raise/approval-1/Approved`, { method: 'POST', body: '"by the probe"' })).status).toBe(202);
    const { body } = await finished('approval-1');
    expect(body.output).toEqual({ approved: 'by the probe' });
    const { urls } = await payload('approval-1');
    const raise = (url: string) => fetch(url.replace('{eventName}', 'Approved'), { method: 'POST', body: '"late"' });
    expect((await raise(urls.sendEventPostUri!)).status).toBe(410);
    expect((await raise(urls.sendEventPostUri!.replace('approval-1', 'nobody'))).status).toBe(404);
  });

  it('takes the winner of Task.any: a timer that fires before the event', async () => {
    await start('raceTimer', 'race-1');
    expect((await finished('race-1')).body.output).toBe('timed out');
  });

  it('terminates a running instance: status 400, Terminated, the reason as output', async () => {
    await start('approval', 'approval-terminated');
    expect((await fetch(`${base}/api/manage/terminate/approval-terminated`, { method: 'POST' })).status).toBe(202);
    const { code, body } = await finished('approval-terminated');
    expect(code).toBe(400);
    expect(body).toMatchObject({ runtimeStatus: 'Terminated', output: 'stopped by the probe' });
  });

  it('fails an orchestration whose orchestrator throws: 400, Failed, the message as output', async () => {
    await start('throws', 'throws-1');
    const { code, body } = await finished('throws-1');
    expect(code).toBe(400);
    expect(body).toMatchObject({ runtimeStatus: 'Failed', output: expect.stringContaining('the orchestrator gives up') as unknown });
  });

  it('refuses to start an instance id that is running, replaces a finished one, and purges', async () => {
    await start('approval', 'approval-twice');
    const second = await start('approval', 'approval-twice');
    expect(second.status).toBe(409);
    expect(second.urls.error).toMatch(/already exists/);
    await start('chain', 'chain-again');
    await finished('chain-again');
    expect((await start('fanOut', 'chain-again', 2)).status).toBe(202);
    expect((await finished('chain-again')).body).toMatchObject({ runtimeStatus: 'Completed', output: 6 });
    expect(await (await fetch(`${base}/api/manage/purge/chain-again`, { method: 'DELETE' })).json()).toEqual({ instancesDeleted: 1 });
    expect((await status('chain-again')).code).toBe(404);
  });

  it('guards the public webhook with the extension key and refuses an unknown orchestrator', async () => {
    const { urls } = await payload('anything');
    const statusUrl = new URL(urls.statusQueryGetUri!);
    const code = statusUrl.searchParams.get('code') ?? '';
    statusUrl.searchParams.delete('code');
    expect((await fetch(statusUrl)).status).toBe(401);
    const unknown = await fetch(`${base}/runtime/webhooks/durabletask/orchestrators/nope?code=${encodeURIComponent(code)}`, {
      method: 'POST',
    });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain("The function 'nope' doesn't exist");
  });

  it('survives a SIGKILL of the host: the orchestration resumes from its history, and completed activities are not run again', async () => {
    await start('slowChain', 'killed-1');
    await waitFor(() => probeRecords().some((r) => r.key === 'killed-1/3' && r.event === 'started'), 30_000, 'step 3 to start');
    host.child.kill('SIGKILL');
    await host.exited;
    await startHost();
    const { code, body } = await finished('killed-1', 60_000);
    expect(code).toBe(200);
    expect(body.output).toEqual([1, 2, 3, 4, 5, 6]);
    const startedRuns = (step: number) => probeRecords().filter((r) => r.key === `killed-1/${step}` && r.event === 'started').length;
    // Steps 1 and 2 had completed (step 3 is scheduled only once step 2's completion is committed): never run again.
    expect([startedRuns(1), startedRuns(2)]).toEqual([1, 1]);
    // Step 3 was cut by the kill: run again (at least once, as in Azure); the steps after it once.
    expect(startedRuns(3)).toBeGreaterThanOrEqual(1);
    expect([4, 5, 6].map(startedRuns)).toEqual([1, 1, 1]);
  });
});
