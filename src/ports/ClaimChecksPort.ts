/** Large message bodies travel as a reference to a blob (claim check); this reads them back. */
export interface ClaimChecksPort {
  /** The body a message stands for: its own, or the one its claim check names. */
  open(body: unknown, applicationProperties: Record<string, unknown>): Promise<unknown>;
}
