import * as df from 'durable-functions';
import type { InvocationContext } from '@azure/functions';
import { hubServices } from '../../composition/hubServices';
import { JourneyRecorder } from '../shared/JourneyRecorder';
import { activityStep } from './activityStep';
import type { BranchInput } from './confirmationBranches';
import { recordConfirmation } from './recordConfirmation';

/** The confirmation's save branch (activity). */
export async function saveConfirmation(input: BranchInput, context: InvocationContext) {
  const services = hubServices();
  const journey = new JourneyRecorder(services.journeys, context.functionName).of({ orderId: input.request.subjectId, attempt: 1 });
  return await activityStep(input, context.functionName, () => recordConfirmation(input, services.confirmations, journey));
}

df.app.activity('saveConfirmation', { handler: saveConfirmation });
