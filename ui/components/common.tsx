import type { ComponentChildren } from 'preact';
import type { ApiError } from '../api';

export function ErrorNote({ error }: { error: ApiError | undefined }) {
  if (error === undefined) return null;
  return (
    <div class="error" role="alert">
      <strong>{error.message}</strong>
      {error.details.length > 0 && (
        <ul>
          {error.details.map((d) => (
            <li key={d}>{d}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Badge({ value }: { value: string }) {
  return <span class={`badge badge-${value.replace(/[^A-Za-z]/g, '')}`}>{value}</span>;
}

/** A time as the operator reads it (their time zone), the exact instant on hover. */
export function When({ at }: { at: string | undefined }) {
  if (at === undefined || at === '') return <span class="muted">–</span>;
  const date = new Date(at);
  return <time title={at}>{date.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' })}</time>;
}

export function Section({ title, children, actions }: { title: string; children: ComponentChildren; actions?: ComponentChildren }) {
  return (
    <section>
      <header class="section-head">
        <h2>{title}</h2>
        {actions}
      </header>
      {children}
    </section>
  );
}

export function Loading({ when }: { when: boolean }) {
  return when ? <p class="muted">Loading…</p> : null;
}

/** A duration as an operator reads it: seconds under a minute, minutes above. */
export const duration = (ms: number | undefined): string =>
  ms === undefined ? '–' : ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 60_000).toFixed(1)} min`;
