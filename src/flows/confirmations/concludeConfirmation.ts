import * as df from 'durable-functions';
import type { InvocationContext } from '@azure/functions';
import { hubServices } from '../../composition/hubServices';
import { JourneyRecorder } from '../shared/JourneyRecorder';
import { activityStep } from './activityStep';
import { settleConfirmation, type SettleInput } from './settleConfirmation';

/** After the fan-in (activity): parks what failed for good, records the conclusion, publishes the confirmation. */
export async function concludeConfirmation(input: SettleInput, context: InvocationContext) {
  const services = hubServices();
  const journey = new JourneyRecorder(services.journeys, context.functionName).of({ orderId: input.request.subjectId, attempt: 1 });
  return await activityStep(input, context.functionName, () => settleConfirmation(input, services.confirmations, journey));
}

df.app.activity('concludeConfirmation', { handler: concludeConfirmation });
