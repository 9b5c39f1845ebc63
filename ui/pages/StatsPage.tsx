import { useMemo } from 'preact/hooks';
import { queryOf } from '../api';
import { TimeChart, type Series } from '../components/Chart';
import { Badge, duration, ErrorNote, Loading, Section, When } from '../components/common';
import { linkTo, type Route } from '../route';
import type { OrderStats, ReconcileRun, ReplayJobView } from '../types';
import { useApi } from '../useApi';

/** The hub at a glance: orders per state, throughput and latency per hour (charts), parked per code, dead letters, reconciler runs, replay jobs. */
export function StatsPage({ route }: { route: Route }) {
  const from = route.query.get('from') ?? undefined;
  const to = route.query.get('to') ?? undefined;
  const stats = useApi<OrderStats>(`stats${queryOf({ from, to })}`);
  const runs = useApi<{ runs: ReconcileRun[] }>('reconciler/runs?limit=10');
  const jobs = useApi<{ jobs: ReplayJobView[] }>('replays');
  const charts = useMemo(() => {
    const hours = stats.data?.throughputPerHour ?? [];
    const x = hours.map((h) => Date.parse(h.hour) / 1000);
    const throughput: Series[] = [
      { label: 'received', values: hours.map((h) => h.received), color: '#2563eb' },
      { label: 'in the ERP', values: hours.map((h) => h.submitted), color: '#16a34a' },
    ];
    const latency: Series[] = [
      { label: 'p50', values: hours.map((h) => (h.p50Ms === undefined ? null : h.p50Ms / 1000)), color: '#7c3aed' },
      { label: 'p95', values: hours.map((h) => (h.p95Ms === undefined ? null : h.p95Ms / 1000)), color: '#db2777' },
    ];
    return { x, throughput, latency };
  }, [stats.data]);
  const data = stats.data;
  return (
    <Section title="Stats" actions={<button onClick={stats.reload}>Refresh</button>}>
      <ErrorNote error={stats.error} />
      <Loading when={stats.loading && data === undefined} />
      {data !== undefined && (
        <>
          <p class="muted">
            Orders received <When at={data.range.from} /> … <When at={data.range.to} />
          </p>
          <div class="cards">
            {Object.entries(data.ordersByState).map(([state, n]) => (
              <a class="card" key={state} href={linkTo('orders', { state })} data-state={state}>
                <span class="figure">{n}</span> {state}
              </a>
            ))}
            <div class="card">
              <span class="figure">{duration(data.placedToErp.p50Ms)}</span> placed → ERP p50
            </div>
            <div class="card">
              <span class="figure">{duration(data.placedToErp.p95Ms)}</span> p95 ({data.placedToErp.orders}{' '}
              {data.placedToErp.orders === 1 ? 'order' : 'orders'})
            </div>
          </div>
          <TimeChart title="Orders per hour" unit="orders" hours={charts.x} series={charts.throughput} />
          <TimeChart title="Placed → in the ERP, per hour" unit="seconds" hours={charts.x} series={charts.latency} />
          <div class="columns">
            <div>
              <h3>Parked by code</h3>
              {data.parkedByCode.length === 0 ? (
                <p class="muted">nothing parked</p>
              ) : (
                <table>
                  <tbody>
                    {data.parkedByCode.map((p) => (
                      <tr key={p.code}>
                        <td>
                          <a href={linkTo('failures')}>{p.code}</a>
                        </td>
                        <td class="number">{p.count}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </div>
            <div>
              <h3>Dead-letter queues</h3>
              <table>
                <tbody>
                  {data.deadLetters.map((d) => (
                    <tr key={d.queue} class={d.deadLetters !== undefined && d.deadLetters > 0 ? 'alarm' : ''}>
                      <td>{d.queue}</td>
                      <td class="number">{d.deadLetters ?? <span title={d.unavailable}>?</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        </>
      )}
      <h3>Reconciler runs</h3>
      <ErrorNote error={runs.error} />
      {runs.data?.runs.length === 0 && <p class="muted">No run kept yet: the reconciler runs on RECONCILER_SCHEDULE.</p>}
      <table class="runs">
        <tbody>
          {(runs.data?.runs ?? []).map((r) => (
            <tr key={r.runId}>
              <td>
                <When at={r.startedAt} />
              </td>
              <td>
                <Badge value={r.outcome} />
              </td>
              <td>
                {r.counts.listed} checked · {r.counts.queuedUnseen} never seen · {r.counts.requeued} queued again · {r.counts.foundInErp}{' '}
                found in the ERP · {r.counts.failed} failed
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Replay jobs</h3>
      <ErrorNote error={jobs.error} />
      {jobs.data?.jobs.length === 0 && <p class="muted">No replay in the last week.</p>}
      <table class="jobs">
        <tbody>
          {(jobs.data?.jobs ?? []).map((j) => (
            <tr key={j.jobId}>
              <td>
                <a href={linkTo(`replays/${j.jobId}`)}>{j.jobId}</a>
              </td>
              <td>
                <Badge value={j.state} />
              </td>
              <td>{j.progress === undefined ? '' : `${j.progress.done}/${j.progress.total} by ${j.progress.by}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}
