import type { z } from 'zod';
import { canonicalOrderSchema } from '../domain/canonicalOrder';
import { canonicalUpdateSchema } from '../domain/canonicalUpdate';
import { ecpOrderSchema } from '../platforms/ecp/ecpOrder';
import { ecpOrderUpdateSchema } from '../platforms/ecp/ecpOrderUpdate';
import { erpCallbackSchema } from '../platforms/erp/erpCallback';
import { erpSalesOrderSchema } from '../platforms/erp/erpSalesOrder';

/** The schemas a mapping file may name as its `source` and `target`. */
export const MAPPING_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  'ecp-order': ecpOrderSchema,
  'canonical-order': canonicalOrderSchema,
  'erp-sales-order': erpSalesOrderSchema,
  'erp-callback': erpCallbackSchema,
  'canonical-update': canonicalUpdateSchema,
  'ecp-order-update': ecpOrderUpdateSchema,
};
