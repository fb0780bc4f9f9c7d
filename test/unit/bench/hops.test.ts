import { type CommandTimeline, formatHopTable, HOPS, latencyLimit, summarizeHops } from '../../../bench/lib/hops';

/** A command whose every point was seen, each hop `step` ms after the last. */
function fullTimeline(start: number, step: number): CommandTimeline {
  return {
    postSent: start,
    appended: start + step,
    postReturned: start + step + 1,
    relayInvoked: start + 2 * step,
    kinesisArrived: start + 3 * step,
    projectorInvoked: start + 4 * step,
    projectorDone: start + 5 * step,
    visible: start + 6 * step,
  };
}

describe('command → read model hops', () => {
  it('splits a timeline into consecutive hops that add up to POST sent → visible', () => {
    const [hops] = [summarizeHops([fullTimeline(1000, 10)])];

    expect(hops.map((hop) => [hop.label, hop.p50])).toEqual([
      ['API → append', 10],
      ['append → relay invoke', 10],
      ['relay → Kinesis', 10],
      ['Kinesis → projector invoke', 10],
      ['projector write', 10],
      ['visible to the query', 10],
    ]);
    expect(hops.reduce((sum, hop) => sum + hop.p50!, 0)).toBe(60);
  });

  it('takes p50, p99 and max per hop over the commands', () => {
    const timelines = Array.from({ length: 100 }, (_, i) => fullTimeline(0, i + 1));

    expect(summarizeHops(timelines)[0]).toEqual({ label: 'API → append', samples: 100, p50: 50, p99: 99, max: 100 });
  });

  it('leaves a hop out of the commands where one of its ends was not seen', () => {
    const partial: CommandTimeline = { postSent: 0, postReturned: 20, appended: 15, visible: 90 };

    const hops = summarizeHops([partial, fullTimeline(0, 30)]);

    expect(hops[0]).toMatchObject({ samples: 2, max: 30 });
    expect(hops[1]).toMatchObject({ samples: 1, p50: 30 });
  });

  it('reports no value for a hop nobody saw', () => {
    expect(summarizeHops([{ postSent: 0, postReturned: 5, visible: 9 }])[2]).toEqual({ label: 'relay → Kinesis', samples: 0, p50: null, p99: null, max: null });
  });

  it('defines each hop from where the previous one ended', () => {
    HOPS.slice(1).forEach((hop, i) => expect(hop.from).toBe(HOPS[i].to));
    expect(HOPS[0].from).toBe('postSent');
    expect(HOPS[HOPS.length - 1].to).toBe('visible');
  });

  it('prints one line per hop with a dash for a missing value', () => {
    const table = formatHopTable(summarizeHops([{ postSent: 0, postReturned: 5, appended: 4.25, visible: 9 }]));

    expect(table.split('\n')).toHaveLength(HOPS.length + 1);
    expect(table).toMatch(/API → append\s+4\.3\s+4\.3\s+4\.3\s+1/);
    expect(table).toMatch(/relay → Kinesis\s+–\s+–\s+–\s+0/);
  });

  describe('latencyLimit', () => {
    it.each([
      [100, null, 100, false],
      [100, 80, 100, false],
      [100, 100, 100, false],
      [100, 120, 180, true],
      [300, 250, 300, false],
      [300, 400, 600, true],
    ])('goal %d ms with floor %p ms → limit %d ms (from the floor: %p)', (goal, floor, limit, fromFloor) => {
      expect(latencyLimit(goal, floor)).toEqual({ limitMs: limit, fromFloor });
    });
  });
});
