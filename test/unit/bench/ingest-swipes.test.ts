import { benchSwipe } from '../../../bench/measure/ingest';

describe('bench card swipes', () => {
  it("keeps every swipe of a full run, warm-up included, inside the API's event-time window of the last 7 days", () => {
    const weekAgo = Date.now() - 7 * 24 * 3600 * 1000;
    for (const i of [0, 19_999, 100_000, 102_499]) {
      const at = Date.parse(benchSwipe(i, 'run').data.at);
      expect(at).toBeGreaterThan(weekAgo);
      expect(at).toBeLessThan(Date.now());
    }
  });

  it("spaces one card's swipes 400 s apart, so the fraud rule (5 in 300 s) never fires", () => {
    expect(Date.parse(benchSwipe(500, 'run').data.at) - Date.parse(benchSwipe(0, 'run').data.at)).toBe(400_000);
    expect(benchSwipe(500, 'run').data.cardId).toBe(benchSwipe(0, 'run').data.cardId);
  });
});
