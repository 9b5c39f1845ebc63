import type { LedgerEntry } from '../../domain/orderLedger';
import type { JourneyPort, JourneyStep } from '../../ports/JourneyPort';
import type { OrderLedgerPort } from '../../ports/OrderLedgerPort';

export interface OrderTrace {
  orderId: string;
  ledger?: LedgerEntry;
  steps: JourneyStep[];
}

/** Everything the hub knows of one order: its journey, step by step, and its ledger entry. */
export async function traceOrder(orderId: string, journey: JourneyPort, ledger: OrderLedgerPort): Promise<OrderTrace> {
  const [steps, entry] = await Promise.all([journey.read(orderId), ledger.get(orderId)]);
  return { orderId, steps, ...(entry === undefined ? {} : { ledger: entry.entry }) };
}
