/**
 * How mapping values behave as text and as conditions. A leaf module: hot closures elsewhere keep
 * module-local aliases of these, since a call through a CommonJS import binding reads a property
 * (a getter, as esbuild and tsx emit them) on every call.
 */

/** Text of a value in concat, join and `+`: nothing for null and undefined. */
export function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** What `when:`, `where:`, `&&`, `||`, `!` and `a ? b : c` take as true. */
export function truthy(value: unknown): boolean {
  return value !== undefined && value !== null && value !== false && value !== 0 && value !== '';
}
