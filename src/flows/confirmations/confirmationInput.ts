import { z } from 'zod';
import {
  ConfirmationBranches,
  confirmationRequestSchema,
  type ConfirmationBranch,
  type ConfirmationRequest,
} from '../../domain/confirmation';
import type { TraceCarrier } from '../../telemetry/orderTrace';

/** A message on `confirmations`: confirm this, all branches; or, replayed from `parked`, run these branches again. */
export const confirmationMessageSchema = z.object({
  request: confirmationRequestSchema,
  branches: z
    .array(z.enum(Object.values(ConfirmationBranches) as [ConfirmationBranch, ...ConfirmationBranch[]]))
    .min(1)
    .optional(),
});

export type ConfirmationMessage = z.infer<typeof confirmationMessageSchema>;

/** How a branch's transient failures are retried by the Durable retry options: doubled each attempt, at most `maxRetryIntervalMs`. */
export interface BranchRetry {
  firstRetryIntervalMs: number;
  maxAttempts: number;
  maxRetryIntervalMs: number;
}

/** The confirmation orchestration's input: fixed when it starts, so that every replay sees the same. */
export interface ConfirmationInput {
  request: ConfirmationRequest;
  branches: ConfirmationBranch[];
  retry: BranchRetry;
  /** The starter's trace context, which every activity continues (set by the starter's adapter). */
  trace?: TraceCarrier;
}

/** The orchestration and activity names, part of the contract with the Durable task hub. */
export const ConfirmationFunctions = {
  ORCHESTRATION: 'confirmation',
  SAVE: 'saveConfirmation',
  EMAIL: 'sendConfirmationEmail',
  MAILING_LIST: 'addToMailingList',
  CONCLUDE: 'concludeConfirmation',
} as const;

export const ACTIVITY_OF_BRANCH: Record<ConfirmationBranch, string> = {
  save: ConfirmationFunctions.SAVE,
  email: ConfirmationFunctions.EMAIL,
  mailingList: ConfirmationFunctions.MAILING_LIST,
};
