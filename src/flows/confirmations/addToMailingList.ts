import * as df from 'durable-functions';
import type { InvocationContext } from '@azure/functions';
import { hubServices } from '../../composition/hubServices';
import { JourneyRecorder } from '../shared/JourneyRecorder';
import { activityStep } from './activityStep';
import type { BranchInput } from './confirmationBranches';
import { subscribeCustomer } from './subscribeCustomer';

/** The confirmation's mailing-list branch (activity): Mailchimp, only with consent. */
export async function addToMailingList(input: BranchInput, context: InvocationContext) {
  const services = hubServices();
  const journey = new JourneyRecorder(services.journeys, context.functionName).of({ orderId: input.request.subjectId, attempt: 1 });
  return await activityStep(input, context.functionName, () => subscribeCustomer(input, services.confirmations, journey));
}

df.app.activity('addToMailingList', { handler: addToMailingList });
