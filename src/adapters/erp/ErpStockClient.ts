import type { AxiosInstance } from 'axios';
import { z } from 'zod';
import type { ErpStockLevel, ErpStockPort, LedgerEntry, PriceLine } from '../../ports/ErpStockPort';
import { classifyHttpFailure } from '../http/classifyHttpFailure';
import { createRestClient, type RestClientOptions } from '../http/createRestClient';
import { readAnswer } from '../http/readAnswer';

const ledgerPageSchema = z.object({
  value: z.array(z.object({ entryNo: z.number().int().positive(), itemNo: z.string(), location: z.string(), quantity: z.number() })),
  nextAfter: z.number().int().optional(),
});

const priceLinesSchema = z.object({
  value: z.array(
    z.object({
      lineNo: z.number().int().positive(),
      itemNo: z.string(),
      unitPrice: z.number(),
      compareAtPrice: z.number().optional(),
      startingDate: z.string(),
    }),
  ),
  nextAfter: z.number().int().optional(),
});

const levelsSchema = z.object({
  value: z.array(z.object({ itemNo: z.string(), location: z.string(), onHand: z.number(), available: z.number() })),
});

/** The ERP's stock API (`GET /item-ledger-entries?after=&top=`, `GET /items/stock?itemNo=`, `GET /price-list-lines?validOn=`). */
export class ErpStockClient implements ErpStockPort {
  private readonly http: () => AxiosInstance;

  constructor(options: RestClientOptions) {
    this.http = createRestClient('erp', options);
  }

  async ledgerAfter(entryNo: number, top: number): Promise<{ entries: LedgerEntry[]; more: boolean }> {
    const page = await this.read('/item-ledger-entries', { after: entryNo, top }, ledgerPageSchema, 'GET item-ledger-entries');
    return { entries: page.value, more: page.nextAfter !== undefined };
  }

  async priceLinesValidOn(day: string, after: number, top: number): Promise<{ lines: PriceLine[]; more: boolean }> {
    const page = await this.read('/price-list-lines', { validOn: day, after, top }, priceLinesSchema, 'GET price-list-lines');
    return {
      lines: page.value.map(({ lineNo, itemNo, unitPrice, compareAtPrice, startingDate }) => ({
        lineNo,
        itemNo,
        unitPrice,
        startingDate,
        ...(compareAtPrice === undefined ? {} : { compareAtPrice }),
      })),
      more: page.nextAfter !== undefined,
    };
  }

  async levels(itemNos: readonly string[]): Promise<ErpStockLevel[]> {
    if (itemNos.length === 0) return [];
    return (await this.read('/items/stock', { itemNo: itemNos.join(',') }, levelsSchema, 'GET items/stock')).value;
  }

  private async read<T>(path: string, params: Record<string, unknown>, schema: z.ZodType<T>, operation: string): Promise<T> {
    let data: unknown;
    try {
      data = (await this.http().get<unknown>(path, { params })).data;
    } catch (error) {
      throw classifyHttpFailure(error, 'ERP', { resource: 'stock', operation, write: false });
    }
    return readAnswer(schema, data, { system: 'ERP', operation });
  }
}
