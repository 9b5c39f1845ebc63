import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { Badge, ErrorNote, Section, When } from '../components/common';
import { linkTo } from '../route';
import type { ReplayJobView } from '../types';
import { useApi } from '../useApi';

/** A replay job's progress, followed every second while it runs; it can be cancelled. */
export function ReplayPage({ jobId }: { jobId: string }) {
  const result = useApi<ReplayJobView>(`replays/${encodeURIComponent(jobId)}`);
  const [error, setError] = useState<ApiError>();
  const job = result.data;
  const running = job?.state === 'running';
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(result.reload, 1000);
    return () => clearInterval(timer);
  }, [running, result.reload]);
  const progress = job?.progress;
  const share = progress === undefined || progress.total === 0 ? 0 : progress.done / progress.total;
  return (
    <Section title={`Replay ${jobId}`}>
      <ErrorNote error={result.error ?? error} />
      {job !== undefined && (
        <>
          <p>
            <Badge value={job.state} /> {job.reason ?? ''}
          </p>
          {progress !== undefined && (
            <>
              <progress max={progress.total} value={progress.done} aria-label="replayed so far" />
              <p class="progress-figures">
                {progress.done} of {progress.total} done ({Math.round(share * 100)}%): {progress.replayed} replayed, {progress.kept} kept,{' '}
                {progress.gone} gone · {progress.rate}/s · by {progress.by} · asked <When at={progress.requestedAt} />
              </p>
              {progress.problems.length > 0 && (
                <table>
                  <tbody>
                    {progress.problems.map((p) => (
                      <tr key={`${p.source}-${p.orderId}-${p.messageId ?? ''}`}>
                        <td>
                          <a href={linkTo(`orders/${encodeURIComponent(p.orderId)}`)}>{p.orderId}</a>
                        </td>
                        <td>{p.outcome}</td>
                        <td>{p.detail}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </>
          )}
          {running && (
            <button
              onClick={() => {
                api(`replays/${encodeURIComponent(jobId)}/cancel`, {
                  method: 'POST',
                  body: { reason: 'cancelled from the dashboard' },
                }).then(result.reload, (e: unknown) => setError(e instanceof ApiError ? e : new ApiError(0, String(e))));
              }}
            >
              Cancel
            </button>
          )}
        </>
      )}
    </Section>
  );
}
