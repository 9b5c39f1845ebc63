import type { AxiosInstance } from 'axios';
import { z } from 'zod';
import { ErrorCodes } from '../../domain/errorCodes';
import { HubError } from '../../domain/HubError';
import { assertOrderId } from '../../domain/orderId';
import type { EcpOrderUpdate } from '../../platforms/ecp/ecpOrderUpdate';
import type { EcpOrdersPort } from '../../ports/EcpOrdersPort';
import { classifyHttpFailure } from '../http/classifyHttpFailure';
import { createRestClient, type RestClientOptions } from '../http/createRestClient';

const updatedSchema = z.object({ version: z.number().int().positive() });

/** The ECP's REST API (`GET /orders/{id}`, `PATCH /orders/{id}`). */
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
