import { backoffMs } from '../../../../local/mappings/backoff';

describe('backoffMs', () => {
  it('doubles from the base and stops at the maximum', () => {
    expect([0, 1, 2, 3].map((attempt) => backoffMs(attempt, 100))).toEqual([100, 200, 400, 800]);
    expect(backoffMs(50, 100)).toBe(5000);
    expect(backoffMs(3, 100, 300)).toBe(300);
  });
});
