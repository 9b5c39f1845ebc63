import { useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { Badge, ErrorNote, Loading, Section, When } from '../components/common';
import { linkTo, type Route } from '../route';
import type { StockOfLocation, StockOfSku, StockRun } from '../types';
import { useApi } from '../useApi';

function RunRow({ run }: { run: StockRun }) {
  const c = run.counts;
  const refused = Object.entries(run.refusedByCode);
  return (
    <tr>
      <td>
        <When at={run.startedAt} />
      </td>
      <td>{run.kind}</td>
      <td>
        <Badge value={run.status} />
      </td>
      <td class="num">{c.rows}</td>
      <td class="num">{c.applied}</td>
      <td class="num">{c.unchanged}</td>
      <td class="num">{c.conflictResolved}</td>
      <td class="num">{c.refused}</td>
      <td>
        {refused.map(([code, n]) => (
          <span key={code} class="code">
            {n} {code}{' '}
          </span>
        ))}
        {run.progress !== undefined && (
          <span class="muted">
            {run.progress.pages} pages{run.progress.done ? '' : ', going on'}
          </span>
        )}
        {run.error !== undefined && <span class="muted"> {run.error}</span>}
      </td>
    </tr>
  );
}

function LocationRow({ l }: { l: StockOfLocation }) {
  const pushed = l.lastPushed;
  return (
    <tr>
      <td>
        {l.location} <span class="muted">({l.erpLocation})</span>
      </td>
      <td class="num">{l.erp.onHand}</td>
      <td class="num">{l.erp.available}</td>
      <td class="num">{l.inFlight}</td>
      <td class="num">{l.safetyStock}</td>
      <td class="num">
        <strong>{l.sellable}</strong>
      </td>
      <td class="num">{l.shop?.available ?? '–'}</td>
      <td class="num">{l.shop?.committed ?? '–'}</td>
      <td>
        {pushed === undefined ? (
          <span class="muted">never</span>
        ) : (
          <>
            {pushed.quantity}
            {pushed.held ? ' (held to the ceiling)' : ''} · <When at={pushed.at} /> · {pushed.why}
          </>
        )}
      </td>
      <td>{l.inStep ? <span class="badge badge-inStep">in step</span> : <span class="badge badge-outOfStep">not in step yet</span>}</td>
    </tr>
  );
}

/** Stock to the shop: the runs with their counts and refused rows by code, a sync on demand, one SKU's figures. */
export function StockPage({ route }: { route: Route }) {
  const sku = route.query.get('sku') ?? '';
  const [typed, setTyped] = useState(sku);
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const runs = useApi<{ runs: StockRun[] }>('stock/runs?limit=20');
  const shown = useApi<StockOfSku>(sku === '' ? undefined : `stock/skus/${encodeURIComponent(sku)}`);
  const sync = (full: boolean): void => {
    setBusy(true);
    setError(undefined);
    api('stock/sync', { method: 'POST', body: { full } }).then(
      () => {
        setBusy(false);
        runs.reload();
      },
      (e: unknown) => {
        setBusy(false);
        setError(e instanceof ApiError ? e : new ApiError(0, String(e)));
      },
    );
  };
  return (
    <>
      <Section
        title="Stock runs"
        actions={
          <span>
            <button disabled={busy} onClick={() => sync(false)}>
              Delta sync now
            </button>{' '}
            <button disabled={busy} onClick={() => sync(true)}>
              Full reconciliation
            </button>
          </span>
        }
      >
        <ErrorNote error={runs.error ?? error} />
        <Loading when={runs.loading && runs.data === undefined} />
        {runs.data !== undefined && (
          <table>
            <thead>
              <tr>
                <th>started</th>
                <th>kind</th>
                <th>status</th>
                <th class="num">rows</th>
                <th class="num">applied</th>
                <th class="num">unchanged</th>
                <th class="num">conflicts resolved</th>
                <th class="num">refused</th>
                <th>refused by code</th>
              </tr>
            </thead>
            <tbody>
              {runs.data.runs.map((run) => (
                <RunRow key={run.runId} run={run} />
              ))}
            </tbody>
          </table>
        )}
      </Section>
      <Section title="A SKU">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            location.hash = linkTo('stock', { sku: typed.trim() });
          }}
        >
          <input
            aria-label="SKU"
            placeholder="SKU, e.g. MUG-LOGO"
            value={typed}
            onInput={(e) => setTyped((e.target as HTMLInputElement).value)}
          />{' '}
          <button type="submit">Show</button>
        </form>
        <ErrorNote error={shown.error} />
        {shown.data !== undefined && 'locations' in shown.data && (
          <table>
            <thead>
              <tr>
                <th>location</th>
                <th class="num">ERP on hand</th>
                <th class="num">ERP available</th>
                <th class="num">in flight</th>
                <th class="num">safety stock</th>
                <th class="num">sellable</th>
                <th class="num">shop available</th>
                <th class="num">shop committed</th>
                <th>last pushed, when, why</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {shown.data.locations.map((l) => (
                <LocationRow key={l.location} l={l} />
              ))}
            </tbody>
          </table>
        )}
      </Section>
    </>
  );
}
