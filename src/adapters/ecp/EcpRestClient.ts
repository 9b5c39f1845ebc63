import type { AxiosInstance } from 'axios';
import { assertOrderId } from '../../domain/orderId';
import type { EcpOrdersPort } from '../../ports/EcpOrdersPort';
import { classifyHttpFailure } from '../http/classifyHttpFailure';
import { createRestClient, type RestClientOptions } from '../http/createRestClient';

/** The ECP's REST API (`GET /orders/{id}`). */
export class EcpRestClient implements EcpOrdersPort {
  private readonly http: AxiosInstance;

  constructor(options: RestClientOptions) {
    this.http = createRestClient(options);
  }

  async getOrder(orderId: string): Promise<unknown> {
    const id = assertOrderId(orderId);
    try {
      const response = await this.http.get<unknown>(`/orders/${encodeURIComponent(id)}`);
      return response.data;
    } catch (error) {
      throw classifyHttpFailure(error, 'ECP', { orderId: id, operation: 'GET order', write: false });
    }
  }
}
