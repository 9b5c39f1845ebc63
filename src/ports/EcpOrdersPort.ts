export interface EcpOrdersPort {
  /** The order as the ECP returns it, unchecked: the integrator checks it against the ECP schema. */
  getOrder(orderId: string): Promise<unknown>;
}
