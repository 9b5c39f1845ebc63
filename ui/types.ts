/** What the ops API answers: the hub's own types, so that the page and the API stay in step. */
export type { OrderSearchPage } from '../src/flows/operations/searchOrders';
export type { OrderDocument } from '../src/flows/operations/orderDocument';
export type { FailurePage, FailureGroup } from '../src/flows/operations/failureGroups';
export type { DryRunResult, DryRunVerdict } from '../src/flows/operations/dryRunReplay';
export type { OrderStats } from '../src/flows/operations/orderStats';
export type { ReplayJobView } from '../src/ports/ReplayJobsPort';
export type { ReconcileRun } from '../src/domain/reconciliationRun';
export type { IndexedOrder } from '../src/domain/indexedOrder';
export type { StockRun } from '../src/domain/stockRun';
export type { StockOfSku, StockOfLocation } from '../src/flows/inventory/stockOfSku';
