import type { AxiosInstance } from 'axios';
import { z } from 'zod';
import { ErrorCodes } from '../../domain/errorCodes';
import { HubError } from '../../domain/HubError';
import { assertOrderId } from '../../domain/orderId';
import type { EcpOrderUpdate } from '../../platforms/ecp/ecpOrderUpdate';
import type { ChangedOrder, EcpOrdersPort } from '../../ports/EcpOrdersPort';
import { classifyHttpFailure } from '../http/classifyHttpFailure';
import { createRestClient, type RestClientOptions } from '../http/createRestClient';
import { readAnswer } from '../http/readAnswer';

const updatedSchema = z.object({ version: z.number().int().positive() });

const changedPageSchema = z.object({
  value: z.array(z.object({ id: z.string(), version: z.number().int().positive(), updatedAt: z.string() })),
  nextCursor: z.string().optional(),
});

/** Orders a page of the ECP's order list holds (its maximum). */
const PAGE_SIZE = 250;

/** The ECP's REST API (`GET /orders/{id}`, `PATCH /orders/{id}`, `GET /orders?updatedSince=&cursor=`). */
export class EcpRestClient implements EcpOrdersPort {
  private readonly http: () => AxiosInstance;

  constructor(options: RestClientOptions) {
    this.http = createRestClient('ecp', options);
  }

  async getOrder(orderId: string): Promise<unknown> {
    const id = assertOrderId(orderId);
    try {
      const response = await this.http().get<unknown>(`/orders/${encodeURIComponent(id)}`);
      return response.data;
    } catch (error) {
      throw classifyHttpFailure(error, 'ECP', { resource: `order ${id}`, operation: 'GET order', write: false });
    }
  }

  async listChanged(since: Date, cursor?: string): Promise<{ orders: ChangedOrder[]; nextCursor?: string }> {
    let data: unknown;
    try {
      data = (
        await this.http().get<unknown>('/orders', {
          params: { updatedSince: since.toISOString(), top: PAGE_SIZE, ...(cursor === undefined ? {} : { cursor }) },
        })
      ).data;
    } catch (error) {
      throw classifyHttpFailure(error, 'ECP', { resource: 'the order list', operation: 'GET orders', write: false });
    }
    const page = readAnswer(changedPageSchema, data, { system: 'ECP', operation: 'GET orders' });
    return {
      orders: page.value.map(({ id, version, updatedAt }) => ({ id, version, updatedAt })),
      ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
    };
  }

  async updateOrder(update: EcpOrderUpdate): Promise<{ version: number }> {
    const id = assertOrderId(update.orderId);
    let data: unknown;
    try {
      data = (await this.http().patch<unknown>(`/orders/${encodeURIComponent(id)}`, update)).data;
    } catch (error) {
      throw classifyHttpFailure(error, 'ECP', { resource: `order ${id}`, operation: 'PATCH order', write: true });
    }
    const parsed = updatedSchema.safeParse(data);
    if (parsed.success) return parsed.data;
    // The change went through; only the answer is unreadable.
    throw new HubError(ErrorCodes.ECP_RESPONSE_INVALID, 'ECP answered PATCH order without the new version', {
      transient: false,
    });
  }
}
