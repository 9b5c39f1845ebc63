import type { ShopOrderUnits } from '../domain/shopOrderUnits';

/**
 * Units in shop orders the hub has received and the ERP does not hold yet: held from the moment
 * an order is received until the ERP has it.
 */
export interface InFlightUnitsPort {
  /** Holds an order's units (holding it again replaces its lines). */
  hold(orderId: string, units: readonly ShopOrderUnits[]): Promise<void>;
  /** The ERP holds the order now (or it will never reach it): its units are no longer in flight. */
  release(orderId: string): Promise<void>;
  /** Units in flight per SKU and shop location (`stockKey`). */
  totals(): Promise<Map<string, number>>;
}
