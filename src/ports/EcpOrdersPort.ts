import type { EcpOrderUpdate } from '../platforms/ecp/ecpOrderUpdate';

export interface EcpOrdersPort {
  /** The order as the ECP returns it, unchecked: the integrator checks it against the ECP schema. */
  getOrder(orderId: string): Promise<unknown>;
  /** Applies a change to an order; answers the order's new version. */
  updateOrder(update: EcpOrderUpdate): Promise<{ version: number }>;
}
