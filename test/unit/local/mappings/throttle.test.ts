import { backoffMs, isThrottle } from '../../../../local/mappings/throttle';

describe('isThrottle', () => {
  it('recognises the runner\'s TooManyRequestsException outcome (reserved concurrency 0, or the limit reached)', () => {
    expect(isThrottle({ ok: false, error: { errorType: 'TooManyRequestsException', errorMessage: 'Rate Exceeded. (reserved concurrency is 0)' } })).toBe(true);
  });

  it.each([
    ['a function error', { ok: false as const, error: { errorType: 'Error', errorMessage: 'boom' } }],
    ['a timeout', { ok: false as const, error: { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 3.00 seconds' } }],
    ['a handler result that merely mentions it', { ok: true as const, result: { errorType: 'TooManyRequestsException' } }],
  ])('does not take %s for a throttle', (_name, outcome) => {
    expect(isThrottle(outcome)).toBe(false);
  });
});

describe('backoffMs', () => {
  it('doubles from the base and stops at the maximum', () => {
    expect([0, 1, 2, 3].map((attempt) => backoffMs(attempt, 100))).toEqual([100, 200, 400, 800]);
    expect(backoffMs(50, 100)).toBe(5000);
    expect(backoffMs(3, 100, 300)).toBe(300);
  });
});
