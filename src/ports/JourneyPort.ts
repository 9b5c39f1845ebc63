export const JourneyOutcomes = {
  OK: 'ok',
  DUPLICATE: 'duplicate',
  /** An ERP update that would move the order back, or brings nothing new: not applied. */
  STALE: 'stale',
  RETRY: 'retry',
  PARKED: 'parked',
  REPLAYED: 'replayed',
} as const;

export type JourneyOutcome = (typeof JourneyOutcomes)[keyof typeof JourneyOutcomes];

/** One step of one order's way through the hub. */
export interface JourneyStep {
  orderId: string;
  at: string;
  /** The Azure Function (or CLI command) that took the step. */
  function: string;
  step: string;
  attempt: number;
  outcome: JourneyOutcome;
  code?: string;
  detail?: string;
  correlationId?: string;
  erpOrderId?: string;
  /** The mappings (name@version) that mapped the order in this step. */
  mappings?: string;
}

export interface JourneyPort {
  record(step: JourneyStep): Promise<void>;
  read(orderId: string): Promise<JourneyStep[]>;
}
