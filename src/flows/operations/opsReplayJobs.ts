import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { hubServices } from '../../composition/hubServices';
import { DurableReplayJobs } from '../../adapters/durable/DurableReplayJobs';
import { operatorOf } from './operatorOf';

const clientInput = df.input.durableClient();
const WEEK_MS = 7 * 24 * 60 * 60_000;

/** GET /api/ops/replays: the replay jobs of the last week, newest first. GET /api/ops/replays/{jobId}: one job's progress. */
export async function opsReplayJobs(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const jobs = new DurableReplayJobs(df.getClient(context), hubServices().replayJobIds);
  const jobId = request.params.jobId;
  if (jobId === undefined || jobId === '') return { status: 200, jsonBody: { jobs: await jobs.list(new Date(Date.now() - WEEK_MS)) } };
  const job = await jobs.view(jobId);
  if (job === undefined) return { status: 404, jsonBody: { error: `no replay job ${jobId}` } };
  return { status: 200, jsonBody: job };
}

/** POST /api/ops/replays/{jobId}/cancel `{ "reason"?: "..." }`: stops a running job after the batch under way. */
export async function opsCancelReplay(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const jobId = request.params.jobId ?? '';
  let body: { reason?: unknown; by?: unknown } = {};
  try {
    const text = await request.text();
    if (text.trim() !== '') body = JSON.parse(text) as typeof body;
  } catch {
    return { status: 400, jsonBody: { error: 'the body is not JSON' } };
  }
  const who = operatorOf(request, typeof body.by === 'string' ? body.by : undefined);
  const why = typeof body.reason === 'string' && body.reason.trim() !== '' ? `: ${body.reason.trim()}` : '';
  const jobs = new DurableReplayJobs(df.getClient(context), hubServices().replayJobIds);
  if (await jobs.cancel(jobId, `cancelled by ${who}${why}`)) {
    context.info(`replay job ${jobId} cancelled by ${who}`);
    return { status: 202, jsonBody: { jobId, cancelled: true, by: who } };
  }
  const job = await jobs.view(jobId);
  if (job === undefined) return { status: 404, jsonBody: { error: `no replay job ${jobId}` } };
  return { status: 409, jsonBody: { error: `replay job ${jobId} is ${job.state}: there is nothing to cancel`, job } };
}

app.http('opsReplayJobs', {
  methods: ['GET'],
  authLevel: 'function',
  route: 'ops/replays/{jobId?}',
  extraInputs: [clientInput],
  handler: opsReplayJobs,
});
app.http('opsCancelReplay', {
  methods: ['POST'],
  authLevel: 'function',
  route: 'ops/replays/{jobId}/cancel',
  extraInputs: [clientInput],
  handler: opsCancelReplay,
});
