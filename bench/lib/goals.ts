/**
 * Every figure issue 14 sets a goal for, with that goal: the one place the bench's targets are
 * written down. `run.ts` judges each measured row with these; `completeReport` adds a row with
 * `value: null` for a goal nothing measured yet, so `--json` always lists every figure and a
 * missing measurement shows as such instead of vanishing. Pure, so unit tested.
 */
import { type FigureInput, makeFigure, type Row, type Target } from './figures';

export interface Goal {
  /** Row name; for per-function goals, the prefix (`init` → `init projector`). */
  readonly name: string;
  readonly unit: string;
  readonly target: Target;
  /** One row per function (`<name> <function>`) rather than one row. */
  readonly perFunction?: boolean;
  /** What measures it, or where the hook is when nothing does yet. */
  readonly source: string;
}

export const GOALS = {
  projection: {
    name: 'projection throughput',
    unit: 'events/s',
    target: { on: 'ratio', op: '>=', limit: 0.5 },
    source: 'bench/measure/projection.ts vs raw BatchWriteItem',
  },
  latencyP50: {
    name: 'e2e latency p50',
    unit: 'ms',
    target: { on: 'value', op: '<=', limit: 100 },
    source: 'bench/measure/latency.ts (1.5× the same-run floor when the floor is above the goal)',
  },
  latencyP99: {
    name: 'e2e latency p99',
    unit: 'ms',
    target: { on: 'value', op: '<=', limit: 300 },
    source: 'bench/measure/latency.ts (1.5× the same-run floor when the floor is above the goal)',
  },
  init: {
    name: 'init',
    unit: 'ms',
    target: { on: 'value', op: '<=', limit: 50 },
    perFunction: true,
    source: "bench/measure/cold-start.ts: require of the bundle on the function's runtime Node, node:http preloaded as the Lambda runtime does",
  },
  // Issue 14: the AWS SDK is bundled into each function (it halves module init; see docs/benchmarks.md, Cold start), so the goal is <= 300 KB.
  bundle: { name: 'bundle', unit: 'KB', target: { on: 'value', op: '<=', limit: 300 }, perFunction: true, source: 'bench/measure/cold-start.ts' },
  replay: {
    name: 'replay rebuild',
    unit: 'events/s',
    target: { on: 'ratio', op: '>=', limit: 0.5 },
    source: 'bench/measure/projection.ts (in-process replay) vs raw BatchWriteItem',
  },
  cliReplay: {
    name: 'replay rebuild (sluice CLI)',
    unit: 'events/s',
    target: { on: 'ratio', op: '>=', limit: 0.5 },
    source: 'bench/measure/cli-replay.ts vs raw BatchWriteItem',
  },
  cliStart: {
    name: 'sluice CLI start',
    unit: 'ms',
    target: { on: 'value', op: '<=', limit: 300 },
    source: 'bench/measure/cli-replay.ts measureCliStart: sluice --help vs node -e 0, interleaved, before the local cloud starts (cli phase)',
  },
  ingest: {
    name: 'ingest POST /events',
    unit: 'events/s',
    target: { on: 'ratio', op: '>=', limit: 0.8 },
    source: 'bench/measure/ingest.ts, interleaved rounds vs raw PutRecords',
  },
  startWarm: {
    name: 'npm start to ready (warm)',
    unit: 's',
    target: { on: 'value', op: '<=', limit: 2 },
    source: 'bench/measure/startup.ts (--no-synth on a current assembly)',
  },
  startFresh: {
    name: 'npm start to ready (fresh clone)',
    unit: 's',
    target: { on: 'value', op: '<=', limit: 8 },
    source: 'bench/measure/start-time.ts measureStartTimes: npm start in a fresh clone of HEAD (node_modules linked, no .sluice/), startup phase',
  },
  memory: {
    name: 'local cloud memory',
    unit: 'MB',
    target: { on: 'value', op: '<=', limit: 500 },
    source: 'bench/lib/memory.ts: peak PSS (shared pages split between their users) of the bench process tree while the cloud runs; the RSS sum in the note',
  },
} as const satisfies Record<string, Goal>;

/** A row judged against `goal` (the name gets ` <function>` for per-function goals). */
export function makeGoalFigure(goal: Goal, input: Omit<FigureInput, 'name' | 'unit' | 'target'> & { functionName?: string; limit?: number }): Row {
  const { functionName, limit, ...figure } = input;
  const name = goal.perFunction && functionName ? `${goal.name} ${functionName}` : goal.name;
  const target = limit === undefined ? goal.target : { ...goal.target, limit };
  return makeFigure({ ...figure, name, unit: goal.unit, target });
}

function covers(goal: Goal, row: Row): boolean {
  return goal.perFunction ? row.name.startsWith(`${goal.name} `) : row.name === goal.name;
}

/**
 * `rows` plus one unmeasured row (value and pass `null`, the goal's target, a note saying where
 * it is measured or hooked) for every goal no row covers.
 */
export function completeReport(rows: readonly Row[], goals: readonly Goal[] = Object.values(GOALS)): Row[] {
  const missing = goals.filter((goal) => !rows.some((row) => covers(goal, row)));
  return [
    ...rows,
    ...missing.map((goal) =>
      makeFigure({
        name: goal.perFunction ? `${goal.name} (every function)` : goal.name,
        unit: goal.unit,
        value: null,
        target: goal.target,
        note: `not measured in this run: ${goal.source}`,
      }),
    ),
  ];
}
