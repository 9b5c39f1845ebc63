import { describeStockRun, type StockRun } from '../../domain/stockRun';

/**
 * A timer's stock run in the host's log: a Failed one fails the invocation (after it is kept), so
 * the function-failure alert sees it; a Partial one is a warning naming what was refused.
 */
export function reportStockRun(
  run: StockRun,
  context: { warn: (line: string) => void; info: (line: string) => void },
  pastDue: boolean,
): void {
  const summary = describeStockRun(run);
  if (run.status === 'Failed') throw new Error(summary);
  if (run.status === 'Partial') context.warn(summary);
  else context.info(`${summary}${pastDue ? ' (past due)' : ''}`);
}
