import { useState } from 'preact/hooks';
import { api, ApiError, queryOf } from '../api';
import { ErrorNote, Loading, Section, When } from '../components/common';
import { linkTo, navigate, type Route } from '../route';
import type { DryRunResult, FailureGroup, FailurePage } from '../types';
import { useApi } from '../useApi';

const VERDICTS: Record<string, string> = {
  wouldPass: 'would pass',
  wouldFail: 'would fail',
  cannotTell: 'cannot tell',
  notReplayable: 'not replayable',
};

interface DryRunAnswer {
  summary: Record<string, number>;
  results: DryRunResult[];
}

/** One failure group's actions: a dry run, a replay at a rate (its job's page shows the progress), resolve or dismiss with a reason. */
function GroupActions({ group, resolved, onChanged }: { group: FailureGroup; resolved: boolean; onChanged: () => void }) {
  const [dryRun, setDryRun] = useState<DryRunAnswer>();
  const [rate, setRate] = useState(10);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  /** Runs one action of the group, one at a time, showing what went wrong. */
  const run = (work: () => Promise<void>): void => {
    setBusy(true);
    setError(undefined);
    work()
      .catch((e: unknown) => setError(e instanceof ApiError ? e : new ApiError(0, String(e))))
      .finally(() => setBusy(false));
  };
  const decide = (action: 'resolve' | 'dismiss' | 'restore') =>
    run(async () => {
      await api('failures/resolve', { method: 'POST', body: { action, reason, group: group.key } });
      setReason('');
      onChanged();
    });
  return (
    <div class="actions">
      <ErrorNote error={error} />
      {!resolved && (
        <div class="row">
          <button
            disabled={busy}
            onClick={() =>
              run(async () =>
                setDryRun(await api<DryRunAnswer>('failures/replay', { method: 'POST', body: { dryRun: true, group: group.key } })),
              )
            }
          >
            Dry run
          </button>
          <label>
            rate/s{' '}
            <input type="number" name="rate" min={1} max={100} value={rate} onInput={(e) => setRate(Number(e.currentTarget.value))} />
          </label>
          <button
            disabled={busy}
            onClick={() =>
              run(async () => {
                const started = await api<{ jobId: string }>('failures/replay', {
                  method: 'POST',
                  body: { dryRun: false, rate, group: group.key },
                });
                navigate(`replays/${started.jobId}`);
              })
            }
          >
            Replay
          </button>
        </div>
      )}
      <div class="row">
        <input name="reason" placeholder="why (kept with the decision)" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        {resolved ? (
          <button disabled={busy} onClick={() => decide('restore')}>
            Restore
          </button>
        ) : (
          <>
            <button disabled={busy} onClick={() => decide('resolve')}>
              Resolve
            </button>
            <button disabled={busy} onClick={() => decide('dismiss')}>
              Dismiss
            </button>
          </>
        )}
      </div>
      {dryRun !== undefined && (
        <div class="dry-run">
          <p>
            Dry run, nothing sent:{' '}
            {Object.entries(dryRun.summary)
              .filter(([, n]) => n > 0)
              .map(([verdict, n]) => `${n} ${VERDICTS[verdict] ?? verdict}`)
              .join(', ')}
          </p>
          <table>
            <tbody>
              {dryRun.results.slice(0, 50).map((r) => (
                <tr key={`${r.source}-${r.orderId}-${r.messageId ?? ''}`}>
                  <td>
                    <a href={linkTo(`orders/${encodeURIComponent(r.orderId)}`)}>{r.orderId}</a>
                  </td>
                  <td class={`verdict verdict-${r.verdict}`}>{VERDICTS[r.verdict] ?? r.verdict}</td>
                  <td>{r.reason ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {dryRun.results.length > 50 && <p class="muted">and {dryRun.results.length - 50} more</p>}
        </div>
      )}
    </div>
  );
}

/** Parked entries grouped by code (and mapping version), with dry run, replay and resolve per group. */
export function FailuresPage({ route }: { route: Route }) {
  const state = route.query.get('state') === 'resolved' ? 'resolved' : 'open';
  const cursor = route.query.get('cursor') ?? undefined;
  const result = useApi<FailurePage>(`failures${queryOf({ state, cursor, limit: 50 })}`);
  return (
    <Section
      title="Failures"
      actions={
        <nav class="tabs">
          <a class={state === 'open' ? 'active' : ''} href={linkTo('failures')}>
            Open
          </a>
          <a class={state === 'resolved' ? 'active' : ''} href={linkTo('failures', { state: 'resolved' })}>
            Resolved and dismissed
          </a>
        </nav>
      }
    >
      <ErrorNote error={result.error} />
      <Loading when={result.loading && result.data === undefined} />
      {result.data !== undefined && (
        <>
          <p class="muted">
            {result.data.totalEntries} parked in {result.data.totalGroups} {result.data.totalGroups === 1 ? 'group' : 'groups'}
          </p>
          {result.data.groups.map((g) => (
            <article class="group" key={g.key} data-group={g.key}>
              <h3>
                {g.code} <span class="count">{g.count}</span>
              </h3>
              {g.mappings !== undefined && <p class="muted">mappings {g.mappings}</p>}
              <p>{g.sampleReason}</p>
              <p class="muted">
                {g.replayable} replayable · from {g.sources.join(', ')} · first <When at={g.firstSeen} /> · last <When at={g.lastSeen} />
              </p>
              <p class="order-links">
                {g.orderIds.slice(0, 12).map((id) => (
                  <a key={id} href={linkTo(`orders/${encodeURIComponent(id)}`)}>
                    {id}
                  </a>
                ))}
                {g.orderIds.length > 12 && <span class="muted"> and {g.orderIds.length - 12} more</span>}
              </p>
              <GroupActions group={g} resolved={state === 'resolved'} onChanged={result.reload} />
            </article>
          ))}
          {result.data.nextCursor !== undefined && (
            <a class="button" href={linkTo('failures', { state, cursor: result.data.nextCursor })}>
              More groups
            </a>
          )}
        </>
      )}
    </Section>
  );
}
