import type { AxiosInstance } from 'axios';
import { z } from 'zod';
import { ErrorCodes } from '../../domain/errorCodes';
import { HubError } from '../../domain/HubError';
import { describeIssues } from '../../domain/validate';
import { erpSalesOrderRecordSchema, type ErpSalesOrder, type ErpSalesOrderRecord } from '../../platforms/erp/erpSalesOrder';
import type { ErpSalesOrdersPort } from '../../ports/ErpSalesOrdersPort';
import { classifyHttpFailure } from '../http/classifyHttpFailure';
import { createRestClient, type RestClientOptions } from '../http/createRestClient';

const listSchema = z.object({ value: z.array(erpSalesOrderRecordSchema) });

/** The ERP's sales-order API: create with an idempotency key, look up by external document number. */
export class ErpRestClient implements ErpSalesOrdersPort {
  private readonly http: () => AxiosInstance;

  constructor(options: RestClientOptions) {
    this.http = createRestClient('erp', options);
  }

  async createSalesOrder(order: ErpSalesOrder, idempotencyKey: string): Promise<ErpSalesOrderRecord> {
    let data: unknown;
    try {
      data = (await this.http().post<unknown>('/sales-orders', order, { headers: { 'idempotency-key': idempotencyKey } })).data;
    } catch (error) {
      throw classifyHttpFailure(error, 'ERP', {
        resource: `sales order ${order.externalDocumentNumber}`,
        operation: 'create sales order',
        write: true,
      });
    }
    // The create went through but the answer is unreadable: a look-up will tell what the ERP holds.
    return this.readRecord(erpSalesOrderRecordSchema, data, 'create sales order', true);
  }

  async findByExternalDocumentNumber(externalDocumentNumber: string): Promise<ErpSalesOrderRecord | undefined> {
    let data: unknown;
    try {
      data = (await this.http().get<unknown>('/sales-orders', { params: { externalDocumentNumber } })).data;
    } catch (error) {
      throw classifyHttpFailure(error, 'ERP', {
        resource: `sales order ${externalDocumentNumber}`,
        operation: 'look up sales order',
        write: false,
      });
    }
    const list = this.readRecord(listSchema, data, 'look up sales order', false);
    return list.value.find((record) => record.externalDocumentNumber === externalDocumentNumber);
  }

  private readRecord<S extends z.ZodType>(schema: S, data: unknown, operation: string, ambiguous: boolean): z.infer<S> {
    const parsed = schema.safeParse(data);
    if (parsed.success) return parsed.data;
    throw new HubError(ErrorCodes.ERP_RESPONSE_INVALID, `ERP answered ${operation} with an unexpected body`, {
      transient: true,
      ambiguous,
      details: describeIssues(parsed.error),
    });
  }
}
