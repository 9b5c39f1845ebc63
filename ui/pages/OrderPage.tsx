import { useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { Badge, ErrorNote, Loading, Section, When } from '../components/common';
import type { OrderDocument } from '../types';
import { useApi } from '../useApi';

type ParkedEntry = OrderDocument['parked'][number];

/** Resolve or dismiss one parked entry (or restore a resolved one), with the reason kept beside it. */
function EntryDecision({ entry, onChanged }: { entry: ParkedEntry; onChanged: () => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ApiError>();
  const decide = (action: 'resolve' | 'dismiss' | 'restore'): void => {
    const key = { source: entry.source, orderId: entry.orderId, ...(entry.messageId === undefined ? {} : { messageId: entry.messageId }) };
    api('failures/resolve', { method: 'POST', body: { action, reason, entries: [key] } }).then(onChanged, (e: unknown) =>
      setError(e instanceof ApiError ? e : new ApiError(0, String(e))),
    );
  };
  return (
    <div class="actions row">
      <input name="reason" placeholder="why (kept with the decision)" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      {entry.resolution === undefined ? (
        <>
          <button onClick={() => decide('resolve')}>Resolve</button>
          <button onClick={() => decide('dismiss')}>Dismiss</button>
        </>
      ) : (
        <button onClick={() => decide('restore')}>Restore</button>
      )}
      <ErrorNote error={error} />
    </div>
  );
}

/** One order's page: its journey as a timeline, the ledger, what is parked of it, its confirmation and lifecycle. The only page with the customer on it. */
export function OrderPage({ orderId }: { orderId: string }) {
  const result = useApi<OrderDocument>(`orders/${encodeURIComponent(orderId)}`);
  const order = result.data;
  return (
    <Section title={`Order ${orderId}`} actions={<button onClick={result.reload}>Refresh</button>}>
      <ErrorNote error={result.error} />
      <Loading when={result.loading && order === undefined} />
      {order !== undefined && (
        <>
          <dl class="facts">
            <dt>State</dt>
            <dd>
              <Badge value={order.state} />
            </dd>
            <dt>ERP order</dt>
            <dd>{order.ledger?.erpOrderId ?? '–'}</dd>
            <dt>Attempts at the ERP</dt>
            <dd>{order.ledger?.pushAttempts ?? 0}</dd>
            <dt>Trace (Application Insights operation id)</dt>
            <dd>
              <code>{order.traceId}</code>
            </dd>
            {order.confirmation?.request !== undefined && (
              <>
                <dt>Customer</dt>
                <dd>
                  {order.confirmation.request.customer.givenName} {order.confirmation.request.customer.familyName} ·{' '}
                  {order.confirmation.request.customer.email}
                </dd>
              </>
            )}
          </dl>
          <h3>Journey</h3>
          <ol class="timeline">
            {order.steps.map((s, i) => (
              <li key={`${s.at}-${i}`} class={`step step-${s.outcome}`}>
                <div class="step-head">
                  <When at={s.at} /> <strong>{s.step}</strong> <Badge value={s.outcome} /> <span class="muted">{s.function}</span>
                  {s.attempt > 1 && <span class="muted"> attempt {s.attempt}</span>}
                </div>
                {s.code !== undefined && <div class="code">{s.code}</div>}
                {s.detail !== undefined && <div class="detail">{s.detail}</div>}
                {s.erpOrderId !== undefined && <div class="muted">ERP order {s.erpOrderId}</div>}
                {s.mappings !== undefined && <div class="muted">mappings {s.mappings}</div>}
              </li>
            ))}
          </ol>
          {order.parked.length > 0 && (
            <>
              <h3>Parked</h3>
              <ul class="parked">
                {order.parked.map((p) => (
                  <li key={`${p.source}-${p.messageId ?? ''}`}>
                    <Badge value={p.resolution?.action ?? 'open'} /> <strong>{p.code}</strong> from {p.source}, parked{' '}
                    <When at={p.parkedAt} />: {p.reason}
                    {p.resolution !== undefined && (
                      <div class="muted">
                        {p.resolution.action} by {p.resolution.by}: {p.resolution.reason}
                      </div>
                    )}
                    <EntryDecision entry={p} onChanged={result.reload} />
                  </li>
                ))}
              </ul>
            </>
          )}
          {order.confirmation !== undefined && (
            <>
              <h3>Confirmation</h3>
              <dl class="facts">
                <dt>Saved</dt>
                <dd>
                  <When at={order.confirmation.savedAt} />
                </dd>
                <dt>E-mail</dt>
                <dd>
                  {order.confirmation.email?.state ?? '–'} {order.confirmation.email?.messageId ?? ''}
                </dd>
                <dt>Mailing list</dt>
                <dd>
                  {order.confirmation.mailingList === undefined
                    ? '–'
                    : order.confirmation.mailingList.detail.startsWith(order.confirmation.mailingList.outcome)
                      ? order.confirmation.mailingList.detail
                      : `${order.confirmation.mailingList.outcome}: ${order.confirmation.mailingList.detail}`}
                </dd>
                <dt>Outcome</dt>
                <dd>{order.confirmation.conclusion?.status ?? 'running'}</dd>
              </dl>
            </>
          )}
          <h3>Lifecycle events</h3>
          <p>{order.lifecycle.length === 0 ? '–' : order.lifecycle.map((e) => e.type).join(' → ')}</p>
        </>
      )}
    </Section>
  );
}
