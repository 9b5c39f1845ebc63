import { onFirstUse } from '../../../src/adapters/onFirstUse';

describe('onFirstUse: a client (a table, a container, an SDK) made before first use', () => {
  it('is made once, however many callers wait for it at once or later', async () => {
    let calls = 0;
    const ready = onFirstUse(() => Promise.resolve(++calls));
    await Promise.all([ready(), ready(), ready()]);
    await ready();
    expect(calls).toBe(1);
  });

  it('after a failure, tries again for the next caller (a storage hiccup at start does not last)', async () => {
    let calls = 0;
    const ready = onFirstUse(() => (++calls === 1 ? Promise.reject(new Error('storage not ready')) : Promise.resolve()));
    await expect(ready()).rejects.toThrow('storage not ready');
    await expect(ready()).resolves.toBeUndefined();
    await ready();
    expect(calls).toBe(2);
  });

  it('does nothing until first used: no failure can go unobserved', () => {
    let calls = 0;
    onFirstUse(() => Promise.reject(new Error(`never asked ${++calls}`)));
    expect(calls).toBe(0);
  });
});
