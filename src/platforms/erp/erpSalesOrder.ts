import { z } from 'zod';

const amount = z.number();

/** A sales order as the sandbox ERP's REST API takes it (`POST /sales-orders`). */
export const erpSalesOrderSchema = z.object({
  externalDocumentNumber: z.string().min(1).max(35),
  orderDate: z.iso.date(),
  currencyCode: z.string().length(3),
  customerNumber: z.string().min(1).max(20),
  sellTo: z.object({
    name: z.string().min(1).max(100),
    email: z.email(),
    phone: z.string().max(30).optional(),
  }),
  shipTo: z.object({
    name: z.string().min(1).max(100),
    address: z.string().min(1).max(100),
    address2: z.string().max(50).optional(),
    city: z.string().min(1).max(30),
    postCode: z.string().min(1).max(20),
    county: z.string().max(30).optional(),
    countryCode: z.string().length(2),
  }),
  /** The warehouse that ships it (reserves its stock there); the ERP's default location when left out. */
  locationCode: z.string().min(1).max(10).optional(),
  shipmentMethodCode: z.string().min(1).max(10),
  paymentMethodCode: z.string().min(1).max(10),
  lines: z
    .array(
      z.object({
        lineNo: z.number().int().positive(),
        itemNo: z.string().min(1).max(20),
        description: z.string().max(100),
        quantity: z.number().positive(),
        unitPrice: amount,
        lineAmount: amount,
        taxCode: z.string().min(1).max(10),
      }),
    )
    .min(1),
  amounts: z.object({ totalExclTax: amount, totalTax: amount, totalInclTax: amount }),
  /** Discounts the web shop gave (already in the prices), and their codes for the ERP's reports. */
  invoiceDiscountAmount: amount.optional(),
  discountCodes: z.string().max(250).optional(),
});

export type ErpSalesOrder = z.infer<typeof erpSalesOrderSchema>;

/** What the ERP answers for a created or looked-up sales order. */
export const erpSalesOrderRecordSchema = z.object({
  id: z.string().min(1),
  number: z.string().min(1),
  externalDocumentNumber: z.string().min(1),
  status: z.string().min(1),
  createdAt: z.string().min(1),
});

export type ErpSalesOrderRecord = z.infer<typeof erpSalesOrderRecordSchema>;
