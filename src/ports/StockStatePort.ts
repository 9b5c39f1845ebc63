import type { StockRun } from '../domain/stockRun';

/** What the hub last set a SKU's `available` to at a shop location, and from what. */
export interface PushedStock {
  sku: string;
  location: string;
  quantity: number;
  /** Held down to the shop's ceiling: the next run reads the shop before it changes it. */
  held: boolean;
  at: string;
  /** The figures it came from. */
  erpAvailable: number;
  erpOnHand: number;
  inFlight: number;
  safetyStock: number;
  sellable: number;
  /** The run that set it, and why: `delta`, `full`, or a conflict resolved. */
  runId: string;
  why: string;
}

/** The price the hub last set a SKU to. */
export interface PushedPrice {
  sku: string;
  price: number;
  compareAtPrice: number | null;
  at: string;
  runId: string;
}

/** Stock sync's memory: what was last pushed, the ledger watermark, and its runs. */
export interface StockStatePort {
  /** Every price last set, by SKU. */
  pushedPrices(): Promise<Map<string, PushedPrice>>;
  recordPrices(rows: readonly PushedPrice[]): Promise<void>;
  pushed(keys: readonly { sku: string; location: string }[]): Promise<Map<string, PushedStock>>;
  /** Rows last pushed held down to the shop's ceiling. */
  held(): Promise<{ sku: string; location: string }[]>;
  recordPushed(rows: readonly PushedStock[]): Promise<void>;
  /** The last ledger entry the delta sync has brought to the shop (0 before the first run). */
  watermark(): Promise<number>;
  setWatermark(entryNo: number): Promise<void>;
  keepRun(run: StockRun): Promise<void>;
  runs(limit: number): Promise<StockRun[]>;
  run(runId: string): Promise<StockRun | undefined>;
}
