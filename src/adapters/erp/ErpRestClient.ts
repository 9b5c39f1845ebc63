import type { AxiosInstance } from 'axios';
import { z } from 'zod';
import { erpSalesOrderRecordSchema, type ErpSalesOrder, type ErpSalesOrderRecord } from '../../platforms/erp/erpSalesOrder';
import type { ErpSalesOrdersPort } from '../../ports/ErpSalesOrdersPort';
import { classifyHttpFailure } from '../http/classifyHttpFailure';
import { createRestClient, type RestClientOptions } from '../http/createRestClient';
import { readAnswer } from '../http/readAnswer';

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
    return readAnswer(erpSalesOrderRecordSchema, data, {
      system: 'ERP',
      operation: 'create sales order',
      transient: true,
      ambiguous: true,
    });
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
    const list = readAnswer(listSchema, data, { system: 'ERP', operation: 'look up sales order', transient: true, ambiguous: false });
    return list.value.find((record) => record.externalDocumentNumber === externalDocumentNumber);
  }
}
