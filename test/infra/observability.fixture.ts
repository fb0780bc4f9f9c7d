import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Template } from 'aws-cdk-lib/assertions';

/** A metric as a dashboard graph names it. Tokens read `{Ref:<logicalId>}`, `{<Fn>:…}`. */
export interface GraphedMetric {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

/** A CloudFormation token inside the dashboard body, as text that cannot break the JSON around it. */
function tokenText(token: Record<string, unknown>): string {
  const [fn, arg] = Object.entries(token)[0];
  if (fn === 'Ref') return `{Ref:${String(arg)}}`;
  if (fn === 'Fn::GetAtt') return `{GetAtt:${(arg as string[]).join('.')}}`;
  return `{${fn}:${JSON.stringify(arg).replace(/["\\]/g, '')}}`;
}

/** Every metric graphed on the template's dashboards (not the math expressions, which name no metric). */
export function dashboardMetrics(template: Template): GraphedMetric[] {
  return Object.values(template.findResources('AWS::CloudWatch::Dashboard')).flatMap((dashboard) => {
    const body = dashboard.Properties.DashboardBody;
    const text =
      typeof body === 'string'
        ? body
        : (body['Fn::Join'][1] as unknown[]).map((part) => (typeof part === 'string' ? part : tokenText(part as Record<string, unknown>))).join('');
    const widgets: Array<{ properties?: { metrics?: unknown[][] } }> = JSON.parse(text).widgets;
    return widgets
      .flatMap((w) => w.properties?.metrics ?? [])
      .flatMap((row) => {
        const names = row.filter((cell): cell is string => typeof cell === 'string');
        if (names.length < 2) return [];
        const [namespace, name, ...pairs] = names;
        const dimensions: Record<string, string> = {};
        for (let i = 0; i + 1 < pairs.length; i += 2) dimensions[pairs[i]] = pairs[i + 1];
        return [{ namespace, name, dimensions }];
      });
  });
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** The metric names of every `addMetric('<name>', …)` call in a file. @throws when a name is not a literal */
function addMetricNames(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/\baddMetric\(/g)].map((call) => {
    const literal = text.slice(call.index + call[0].length).match(/^\s*(['"])([A-Za-z0-9_.-]+)\1/);
    if (!literal) {
      const line = text.slice(0, call.index).split('\n').length;
      throw new Error(`${file}:${line}: addMetric's metric name is not a string literal; write it as one so the observability test can check it is graphed`);
    }
    return literal[2];
  });
}

/**
 * The custom metrics each function emits, by folder under lambdas/: the names of its own
 * `addMetric` calls, plus those of the shared batch helpers (lambdas/shared) when it hands them its
 * `metrics` (a `metrics,` / `metrics: …,` property in its options).
 */
export function emittedMetrics(lambdasDir: string): Map<string, Set<string>> {
  const shared = new Set(sourceFiles(path.join(lambdasDir, 'shared')).flatMap(addMetricNames));
  const emitted = new Map<string, Set<string>>();
  for (const folder of fs.readdirSync(lambdasDir).filter((f) => fs.existsSync(path.join(lambdasDir, f, 'handler.ts')))) {
    const files = sourceFiles(path.join(lambdasDir, folder));
    const names = new Set(files.flatMap(addMetricNames));
    if (files.some((file) => /^\s*metrics(\s*:\s*[\w.]+)?,?\s*$/m.test(fs.readFileSync(file, 'utf8')))) for (const name of shared) names.add(name);
    if (names.size > 0) emitted.set(folder, names);
  }
  return emitted;
}
