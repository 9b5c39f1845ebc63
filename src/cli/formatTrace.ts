import type { OrderTrace } from '../flows/operations/traceOrder';

/** A journey as an operator reads it: one line a step, then where the order stands. */
export function formatTrace(trace: OrderTrace): string {
  if (trace.steps.length === 0 && trace.ledger === undefined) return `order ${trace.orderId}: the hub has no record of it`;
  const lines = [`order ${trace.orderId}`];
  for (const s of trace.steps) {
    const extra = [
      s.code,
      s.erpOrderId === undefined ? undefined : `ERP ${s.erpOrderId}`,
      s.detail,
      s.mappings === undefined ? undefined : `mapped by ${s.mappings}`,
    ]
      .filter((x) => x !== undefined)
      .join('  ');
    lines.push(`  ${s.at}  ${s.function.padEnd(20)} ${s.step.padEnd(16)} #${s.attempt}  ${s.outcome.padEnd(9)} ${extra}`);
  }
  const l = trace.ledger;
  if (l !== undefined) {
    lines.push(
      `  now: ${l.state}${l.erpOrderId === undefined ? '' : `, ERP order ${l.erpOrderId}`}, ${l.pushAttempts} create(s) sent${l.lastErrorCode === undefined ? '' : `, last error ${l.lastErrorCode}`}`,
    );
  }
  return lines.join('\n');
}
