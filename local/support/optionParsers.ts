import { InvalidArgumentError } from 'commander';

/** A command-line option that is a whole number of at least 1 (orders, concurrency, rounds). */
export function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of at least 1');
  return n;
}

/** A command-line option that is a share from 0 to 1 (a fault rate). */
export function rate(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('must be a number from 0 to 1');
  return n;
}

/** A command-line option that is a whole number of milliseconds, 0 or more (a latency). */
export function milliseconds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number of milliseconds, 0 or more');
  return n;
}
