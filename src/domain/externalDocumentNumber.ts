/**
 * Every ERP create for an ECP order carries this as its external document number and its
 * idempotency key, and the hub looks the order up in the ERP by it: it must never change for an
 * order, so the mapping cannot choose it (the use case checks that the mapping kept it).
 */
export function externalDocumentNumberFor(orderId: string): string {
  return `ECP-${orderId}`;
}
