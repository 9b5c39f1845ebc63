import type { LifecycleEvent } from '../domain/lifecycleEvents';

/** Publishes order lifecycle events for any subscriber (notifications, analytics). At least once: ids repeat on a resend. */
export interface LifecyclePublisherPort {
  publish(events: readonly LifecycleEvent[]): Promise<void>;
}
