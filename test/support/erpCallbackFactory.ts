import type { ErpCallback } from '../../src/platforms/erp/erpCallback';

/** A valid ERP status callback (order 10042 shipped by Colissimo); override any field. */
export function erpCallbackFactory(overrides: Partial<ErpCallback> = {}): ErpCallback {
  return {
    callbackId: 'cb-100',
    event: 'Shipment.Shipped',
    occurredAt: '2026-11-25T14:05:00+01:00',
    salesOrder: { id: 'SO-000042', number: 'SO000042', externalDocumentNumber: 'ECP-10042' },
    shipment: { shippingAgentCode: 'COLISSIMO', packageTrackingNo: '6A12345678901' },
    ...overrides,
  };
}
