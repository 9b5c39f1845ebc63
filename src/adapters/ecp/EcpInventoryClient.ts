import type { AxiosInstance } from 'axios';
import { z } from 'zod';
import type {
  SetPriceResult,
  SetPriceRow,
  SetQuantityResult,
  SetQuantityRow,
  ShopInventoryPort,
  ShopLevel,
} from '../../ports/ShopInventoryPort';
import { classifyHttpFailure } from '../http/classifyHttpFailure';
import { createRestClient, type RestClientOptions } from '../http/createRestClient';
import { readAnswer } from '../http/readAnswer';

const levelsPageSchema = z.object({
  value: z.array(z.object({ sku: z.string(), location: z.string(), available: z.number(), committed: z.number() })),
  nextCursor: z.string().optional(),
});

const resultsSchema = z.object({
  results: z.array(
    z.object({
      sku: z.string(),
      location: z.string(),
      status: z.enum(['applied', 'refused']),
      code: z.string().optional(),
      message: z.string().optional(),
      currentQuantity: z.number().optional(),
    }),
  ),
});

const STALE = 'CHANGE_FROM_QUANTITY_STALE';

const priceResultsSchema = z.object({
  results: z.array(
    z.object({ sku: z.string(), status: z.enum(['applied', 'refused']), code: z.string().optional(), message: z.string().optional() }),
  ),
});

/** The shop's inventory API (`GET /inventory-levels`, `POST /inventory/set-quantities`). */
export class EcpInventoryClient implements ShopInventoryPort {
  private readonly http: () => AxiosInstance;

  constructor(options: RestClientOptions) {
    this.http = createRestClient('ecp', options);
  }

  async levels(query: { skus?: readonly string[]; cursor?: string }): Promise<{ levels: ShopLevel[]; nextCursor?: string }> {
    const params = {
      ...(query.skus === undefined ? {} : { sku: query.skus.join(',') }),
      ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
    };
    let data: unknown;
    try {
      data = (await this.http().get<unknown>('/inventory-levels', { params })).data;
    } catch (error) {
      throw classifyHttpFailure(error, 'ECP', { resource: 'inventory levels', operation: 'GET inventory-levels', write: false });
    }
    const page = readAnswer(levelsPageSchema, data, { system: 'ECP', operation: 'GET inventory-levels' });
    return {
      levels: page.value.map(({ sku, location, available, committed }) => ({ sku, location, available, committed })),
      ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
    };
  }

  async setQuantities(rows: readonly SetQuantityRow[], idempotencyKey: string): Promise<SetQuantityResult[]> {
    let data: unknown;
    try {
      data = (
        await this.http().post<unknown>(
          '/inventory/set-quantities',
          { name: 'available', quantities: rows },
          { headers: { 'idempotency-key': idempotencyKey } },
        )
      ).data;
    } catch (error) {
      throw classifyHttpFailure(error, 'ECP', { resource: 'inventory', operation: 'POST inventory/set-quantities', write: true });
    }
    return readAnswer(resultsSchema, data, { system: 'ECP', operation: 'POST inventory/set-quantities' }).results.map(
      (r): SetQuantityResult => {
        if (r.status === 'applied') return { sku: r.sku, location: r.location, status: 'applied' };
        if (r.code === STALE && r.currentQuantity !== undefined)
          return { sku: r.sku, location: r.location, status: 'stale', currentQuantity: r.currentQuantity };
        return { sku: r.sku, location: r.location, status: 'refused', code: r.code ?? 'REFUSED', message: r.message ?? 'refused' };
      },
    );
  }

  async setPrices(rows: readonly SetPriceRow[], idempotencyKey: string): Promise<SetPriceResult[]> {
    let data: unknown;
    try {
      data = (await this.http().post<unknown>('/products/prices', { prices: rows }, { headers: { 'idempotency-key': idempotencyKey } }))
        .data;
    } catch (error) {
      throw classifyHttpFailure(error, 'ECP', { resource: 'prices', operation: 'POST products/prices', write: true });
    }
    return readAnswer(priceResultsSchema, data, { system: 'ECP', operation: 'POST products/prices' }).results.map((r): SetPriceResult =>
      r.status === 'applied'
        ? { sku: r.sku, status: 'applied' }
        : { sku: r.sku, status: 'refused', code: r.code ?? 'REFUSED', message: r.message ?? 'refused' },
    );
  }
}
