/** Items in batches of `size`, in order, the last one shorter: a shop call's rows, a replay job's entries, a table transaction's writes. */
export function batchesOf<T>(items: readonly T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}
