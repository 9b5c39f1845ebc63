import { retryDelayMs } from '../../../../src/flows/shared/retryPolicy';

const policy = { maxAttempts: 10, baseDelayMs: 1000, maxDelayMs: 60_000 };

describe('retryDelayMs', () => {
  it('doubles per attempt, with jitter between half and all of it', () => {
    expect([1, 2, 3, 4].map((a) => retryDelayMs(policy, a, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((a) => retryDelayMs(policy, a, () => 1))).toEqual([1000, 2000, 4000, 8000]);
  });

  it('never exceeds the maximum', () => {
    expect(retryDelayMs(policy, 30, () => 1)).toBe(60_000);
  });

  it('waits at least as long as Retry-After asked, within the maximum', () => {
    expect(retryDelayMs(policy, 1, () => 0, 20_000)).toBe(20_000);
    expect(retryDelayMs(policy, 1, () => 0, 3_600_000)).toBe(60_000);
  });
});
