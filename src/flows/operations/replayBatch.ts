import * as df from 'durable-functions';
import type { InvocationContext } from '@azure/functions';
import { hubServices } from '../../composition/hubServices';
import type { ReplayBatchInput, ReplayEntryResult } from '../../domain/replayJob';
import { JourneyRecorder } from '../shared/JourneyRecorder';
import { replayBatchOf } from './pacedReplay';

/** A replay job's batch (activity). */
export async function replayBatch(input: ReplayBatchInput, context: InvocationContext): Promise<ReplayEntryResult[]> {
  const services = hubServices();
  return await replayBatchOf(input, services.replay, new JourneyRecorder(services.journeys, context.functionName));
}

// Its name is ReplayJobFunctions.BATCH, the name the orchestration calls.
df.app.activity('replayBatch', { handler: replayBatch });
