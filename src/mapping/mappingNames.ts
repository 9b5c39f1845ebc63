/** The mappings the hub runs, by name (each `mappings/<name>.yaml`), with the schemas they join. */
export const HubMappings = {
  ECP_ORDER_TO_CANONICAL: { name: 'ecp-order-to-canonical', source: 'ecp-order', target: 'canonical-order' },
  CANONICAL_TO_ERP_SALES_ORDER: { name: 'canonical-to-erp-sales-order', source: 'canonical-order', target: 'erp-sales-order' },
  ERP_CALLBACK_TO_CANONICAL_UPDATE: { name: 'erp-callback-to-canonical-update', source: 'erp-callback', target: 'canonical-update' },
  CANONICAL_UPDATE_TO_ECP_ORDER_UPDATE: {
    name: 'canonical-update-to-ecp-order-update',
    source: 'canonical-update',
    target: 'ecp-order-update',
  },
} as const;
