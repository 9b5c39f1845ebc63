import type { JourneyOutcome, JourneyPort, JourneyStep } from '../../ports/JourneyPort';
import type { HubMessage } from './hubMessage';

/** What every step of one order in one invocation shares. */
export interface OrderJourneyContext {
  orderId: string;
  attempt: number;
  correlationId?: string;
  /** The mappings (`name@version#fingerprint`) that map the order in these steps. */
  mappings?: string;
}

/** One step as a use case tells it; the recorder adds who, when and for which order. */
export interface StepRecord {
  step: string;
  outcome: JourneyOutcome;
  code?: string;
  detail?: string;
  erpOrderId?: string;
}

/** The steps of one order, recorded by one invocation. */
export type OrderJourney = (step: StepRecord) => Promise<void>;

/**
 * Writes the journey steps of one invocation: the function (or command) that took them comes from
 * the trigger's context, so a use case never names its own function.
 */
export class JourneyRecorder {
  constructor(
    private readonly journeys: JourneyPort,
    /** The Azure Function's name (InvocationContext.functionName), or the operator's command. */
    private readonly by: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The steps of the order a Service Bus delivery concerns (its session), at its attempt. */
  ofMessage(message: HubMessage, mappings?: string): OrderJourney {
    return this.of({
      orderId: message.sessionId,
      attempt: message.attempt,
      ...(message.correlationId === undefined ? {} : { correlationId: message.correlationId }),
      ...(mappings === undefined ? {} : { mappings }),
    });
  }

  /** The recorder of one order's steps. */
  of(context: OrderJourneyContext): OrderJourney {
    return async (record) => {
      const step: JourneyStep = {
        orderId: context.orderId,
        at: this.now().toISOString(),
        function: this.by,
        attempt: context.attempt,
        ...(context.correlationId === undefined ? {} : { correlationId: context.correlationId }),
        ...(context.mappings === undefined ? {} : { mappings: context.mappings }),
        ...record,
      };
      await this.journeys.record(step);
    };
  }
}
