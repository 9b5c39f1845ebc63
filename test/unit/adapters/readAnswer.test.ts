import { z } from 'zod';
import { readAnswer } from '../../../src/adapters/http/readAnswer';
import { HubError } from '../../../src/domain/HubError';

const page = z.object({ value: z.array(z.object({ id: z.string(), version: z.number().int() })) });

function failureOf(work: () => unknown): HubError {
  try {
    work();
  } catch (error) {
    if (HubError.isHubError(error)) return error;
    throw error;
  }
  throw new Error('it did not fail');
}

describe("a remote system's answer, read with its schema", () => {
  it('is the parsed answer when it fits', () => {
    expect(readAnswer(page, { value: [{ id: '1', version: 2 }] }, { system: 'ECP', operation: 'GET orders' })).toEqual({
      value: [{ id: '1', version: 2 }],
    });
  });

  it("is otherwise a permanent error with the system's code, the operation and the fields that do not fit", () => {
    const error = failureOf(() =>
      readAnswer(page, { value: [{ id: 1, version: 'two' }] }, { system: 'ERP', operation: 'GET item-ledger-entries' }),
    );
    expect(error).toMatchObject({ code: 'ERP.RESPONSE_INVALID', transient: false, ambiguous: false });
    expect(error.message).toBe('ERP answered GET item-ledger-entries with a body the hub cannot read');
    expect(error.details).toEqual([expect.stringMatching(/^value\.0\.id: /), expect.stringMatching(/^value\.0\.version: /)]);
  });

  it('says when the call may have done its work, and when asking again may help', () => {
    const error = failureOf(() =>
      readAnswer(page, '<html>', { system: 'ERP', operation: 'create sales order', transient: true, ambiguous: true }),
    );
    expect(error).toMatchObject({ code: 'ERP.RESPONSE_INVALID', transient: true, ambiguous: true });
  });

  it('names five fields at the most', () => {
    const many = z.object(Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`f${i}`, z.string()])));
    expect(failureOf(() => readAnswer(many, {}, { system: 'ECP', operation: 'GET x' })).details).toHaveLength(5);
  });
});
