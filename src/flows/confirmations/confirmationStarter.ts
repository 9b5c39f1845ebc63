import { app, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';
import { hubServices } from '../../composition/hubServices';
import { QueueNames } from '../../config/queues';
import { hubMessageOf } from '../shared/hubMessage';
import { JourneyRecorder } from '../shared/JourneyRecorder';
import { deliveryStep } from '../shared/tracedSteps';
import { traceCarrierOf } from '../../telemetry/orderTrace';
import { subjectOfConfirmationMessage } from './confirmationSubject';
import { ConfirmationFunctions, type ConfirmationInput } from './confirmationInput';
import { startConfirmation, type ConfirmationOrchestrationsPort } from './startConfirmation';

const clientInput = df.input.durableClient();

/** The confirmation orchestrations through the durable client the trigger is bound to. */
function orchestrationsOf(client: DurableClient): ConfirmationOrchestrationsPort {
  return {
    async statusOf(confirmationId) {
      let status;
      try {
        status = await client.getStatus(confirmationId, { showInput: false });
      } catch (error) {
        if (error instanceof Error && /HTTP 404/.test(error.message)) return 'none';
        throw error;
      }
      return status.runtimeStatus === df.OrchestrationRuntimeStatus.Pending ||
        status.runtimeStatus === df.OrchestrationRuntimeStatus.Running
        ? 'running'
        : 'finished';
    },
    async start(confirmationId, input: ConfirmationInput) {
      try {
        // The activities continue this step's trace: the orchestration hands its context on.
        const traced: ConfirmationInput = { ...input, trace: traceCarrierOf() };
        await client.startNew(ConfirmationFunctions.ORCHESTRATION, { instanceId: confirmationId, input: traced });
        return 'started';
      } catch (error) {
        // Refused because an instance is pending or running (another starter got there first).
        if ((await this.statusOf(confirmationId)) === 'running') return 'conflict';
        throw error;
      }
    },
  };
}

/** `confirmations` (one session per order or registration) → the `confirmation` orchestration, started once. */
export async function confirmationStarter(body: unknown, context: InvocationContext): Promise<void> {
  const services = hubServices();
  const message = hubMessageOf(body, context.triggerMetadata);
  await deliveryStep(
    context.functionName,
    QueueNames.CONFIRMATIONS,
    message,
    subjectOfConfirmationMessage(body, message.sessionId),
    async () => {
      const outcome = await startConfirmation(
        message,
        { ...services.startConfirmation, orchestrations: orchestrationsOf(df.getClient(context)) },
        new JourneyRecorder(services.journeys, context.functionName),
      );
      context.info(`confirmation request ${message.messageId}: ${outcome}`);
    },
  );
}

app.serviceBusQueue('confirmationStarter', {
  connection: 'ServiceBusConnection',
  queueName: QueueNames.CONFIRMATIONS,
  isSessionsEnabled: true,
  extraInputs: [clientInput],
  handler: confirmationStarter,
});
