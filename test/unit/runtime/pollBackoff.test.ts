import { PollBackoff } from '../../../local/support/pollBackoff';

describe('PollBackoff', () => {
  it('waits the longest pause while a queue has been idle from the start', () => {
    const backoff = new PollBackoff(10, 200);
    expect([backoff.empty(), backoff.empty()]).toEqual([200, 200]);
  });

  it('polls again soon after a message, then doubles the pause up to the longest', () => {
    const backoff = new PollBackoff(10, 200);
    backoff.found();
    expect(Array.from({ length: 7 }, () => backoff.empty())).toEqual([10, 20, 40, 80, 160, 200, 200]);
    backoff.found();
    expect(backoff.empty()).toBe(10);
  });
});
