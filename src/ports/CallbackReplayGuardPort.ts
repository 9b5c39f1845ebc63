/** Remembers the signatures of accepted callbacks, so that a captured callback cannot be sent again. */
export interface CallbackReplayGuardPort {
  /** True the first time a signature is seen; false when it was seen before (a replay). */
  firstSighting(signature: string, signedAt: Date): Promise<boolean>;
}
