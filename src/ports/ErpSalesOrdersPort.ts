import type { ErpSalesOrder, ErpSalesOrderRecord } from '../platforms/erp/erpSalesOrder';

export interface ErpSalesOrdersPort {
  /** Creates the sales order; `idempotencyKey` travels as a header beside the external document number. */
  createSalesOrder(order: ErpSalesOrder, idempotencyKey: string): Promise<ErpSalesOrderRecord>;
  findByExternalDocumentNumber(externalDocumentNumber: string): Promise<ErpSalesOrderRecord | undefined>;
}
