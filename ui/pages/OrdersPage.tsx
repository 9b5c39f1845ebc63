import { useState } from 'preact/hooks';
import { queryOf } from '../api';
import { Badge, ErrorNote, Loading, Section, When } from '../components/common';
import { linkTo, navigate, type Route } from '../route';
import type { OrderSearchPage } from '../types';
import { useApi } from '../useApi';

/** The day after a YYYY-MM-DD date (as the date input gives it). */
function dayAfter(day: string | undefined): string | undefined {
  if (day === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return day;
  return new Date(Date.parse(`${day}T00:00:00Z`) + 24 * 3600_000).toISOString().slice(0, 10);
}

const STATES = ['', 'received', 'submitting', 'awaitingRetry', 'submitted', 'parked'];

/** Order search: by ECP or ERP order id, or by state and the day received; each row links to the order's page. Nothing personal here. */
export function OrdersPage({ route }: { route: Route }) {
  const given = Object.fromEntries(route.query.entries());
  const [form, setForm] = useState({ query: given.query ?? '', state: given.state ?? '', from: given.from ?? '', to: given.to ?? '' });
  // The form's `to` is a day it includes; the API's `to` is the instant it stops before.
  const path = `orders${queryOf({ query: given.query, state: given.state, from: given.from, to: dayAfter(given.to), cursor: given.cursor, limit: 50 })}`;
  const result = useApi<OrderSearchPage>(path);
  const search = (e: Event): void => {
    e.preventDefault();
    navigate('orders', form);
  };
  return (
    <Section title="Orders">
      <form class="search" onSubmit={search}>
        <input
          name="query"
          placeholder="ECP or ERP order id"
          value={form.query}
          onInput={(e) => setForm({ ...form, query: e.currentTarget.value })}
        />
        <select name="state" value={form.state} onChange={(e) => setForm({ ...form, state: e.currentTarget.value })}>
          {STATES.map((s) => (
            <option key={s} value={s}>
              {s === '' ? 'any state' : s}
            </option>
          ))}
        </select>
        <label>
          from <input type="date" name="from" value={form.from} onInput={(e) => setForm({ ...form, from: e.currentTarget.value })} />
        </label>
        <label>
          to <input type="date" name="to" value={form.to} onInput={(e) => setForm({ ...form, to: e.currentTarget.value })} />
        </label>
        <button type="submit">Search</button>
      </form>
      <ErrorNote error={result.error} />
      <Loading when={result.loading && result.data === undefined} />
      {result.data !== undefined && (
        <>
          <p class="muted">
            {result.data.orders.length === 0 ? 'No order found' : `${result.data.orders.length} orders`}
            {result.data.range !== undefined && (
              <>
                {' '}
                received <When at={result.data.range.from} /> … <When at={result.data.range.to} />
              </>
            )}
          </p>
          <table class="orders">
            <thead>
              <tr>
                <th>Order</th>
                <th>State</th>
                <th>ERP order</th>
                <th>Received</th>
                <th>Placed</th>
                <th>In the ERP</th>
                <th>Last code</th>
              </tr>
            </thead>
            <tbody>
              {result.data.orders.map((o) => (
                <tr key={o.orderId}>
                  <td>
                    <a href={linkTo(`orders/${encodeURIComponent(o.orderId)}`)}>{o.orderId}</a>
                  </td>
                  <td>
                    <Badge value={o.state} />
                  </td>
                  <td>{o.erpOrderId ?? <span class="muted">–</span>}</td>
                  <td>
                    <When at={o.receivedAt} />
                  </td>
                  <td>
                    <When at={o.placedAt} />
                  </td>
                  <td>
                    <When at={o.submittedAt} />
                  </td>
                  <td>{o.lastErrorCode ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {result.data.nextCursor !== undefined && (
            <a class="button" href={linkTo('orders', { ...given, cursor: result.data.nextCursor })}>
              Older orders
            </a>
          )}
        </>
      )}
    </Section>
  );
}
