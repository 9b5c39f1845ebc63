import type { OrderDocument } from '../flows/operations/orderDocument';

/** A journey as an operator reads it: one line a step, then where the order stands. */
export function formatTrace(trace: OrderDocument): string {
  if (trace.steps.length === 0 && trace.ledger === undefined) return `order ${trace.orderId}: the hub has no record of it`;
  const lines = [`order ${trace.orderId}  (trace ${trace.traceId})`];
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
  for (const p of trace.parked) lines.push(`  parked: ${p.source} ${p.code} since ${p.parkedAt}: ${p.reason}`);
  const conclusion = trace.confirmation?.conclusion;
  if (conclusion !== undefined)
    lines.push(`  confirmation: ${conclusion.status}${conclusion.parked.length === 0 ? '' : ` (parked: ${conclusion.parked.join(', ')})`}`);
  if (trace.lifecycle.length > 0) lines.push(`  lifecycle: ${trace.lifecycle.map((e) => e.type).join(', ')}`);
  return lines.join('\n');
}
