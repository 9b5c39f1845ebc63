import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { hubServices } from '../../composition/hubServices';
import { JourneyRecorder } from '../shared/JourneyRecorder';
import { withSubject } from '../../telemetry/orderTrace';
import { takeRegistration } from './takeRegistration';

const clientInput = df.input.durableClient();

/**
 * `POST /api/registrations`: a registrant, the codes they buy and a payment token → charged once,
 * queued for confirmation; 201 with the registration id and the confirmation's status URL, 402 when
 * declined, 503 when the provider is down, 400 naming the fields (or refusing card data).
 */
export async function registrationIntake(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const services = hubServices();
  const client = df.getClient(context);
  const answer = await takeRegistration(
    await request.text(),
    request.headers.get('idempotency-key') ?? undefined,
    { ...services.takeRegistration, statusUrlOf: (id) => client.createHttpManagementPayload(id).statusQueryGetUri },
    new JourneyRecorder(services.journeys, context.functionName),
  );
  // The answer only: never the request, which may hold what it should not.
  const registrationId = answer.body.registrationId;
  const logAnswer = (): void =>
    context.info(`registration: ${answer.status}${typeof registrationId === 'string' ? ` ${registrationId}` : ''}`);
  if (typeof registrationId === 'string') withSubject({ registrationId }, logAnswer);
  else logAnswer();
  return { status: answer.status, jsonBody: answer.body, ...(answer.headers === undefined ? {} : { headers: answer.headers }) };
}

app.http('registrationIntake', {
  methods: ['POST'],
  authLevel: 'function',
  route: 'registrations',
  extraInputs: [clientInput],
  handler: registrationIntake,
});
