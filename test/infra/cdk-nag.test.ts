import * as fs from 'node:fs';
import * as path from 'node:path';
import { CfnResource, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildTestApp } from './sluice-app.fixture';

interface ValidationReport {
  pluginReports: Array<{ pluginName: string; violations: Array<{ ruleName: string; violatingConstructs: Array<{ constructPath: string }> }> }>;
}

/** Synthesizes with the AwsSolutions pack and returns every unsuppressed finding as `rule at path`. */
function nagFindings(context: Record<string, unknown>, tamper?: (stacks: ReturnType<typeof buildTestApp>) => void): string[] {
  const built = buildTestApp(context);
  tamper?.(built);
  Validations.of(built.app).addPlugins(new AwsSolutionsChecks(built.app));
  const reportFile = path.join(built.app.outdir, 'validation-report.json');
  try {
    built.app.synth();
  } catch (error) {
    // Synthesis fails on findings after writing the report; any other failure is a real error.
    if (!fs.existsSync(reportFile)) throw error;
  }
  const report: ValidationReport = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
  return report.pluginReports.flatMap((plugin) => plugin.violations.flatMap((v) => v.violatingConstructs.map((c) => `${v.ruleName} at ${c.constructPath}`)));
}

describe('cdk-nag AwsSolutions', () => {
  it.each(['dev', 'prod'])('reports no unsuppressed finding on the %s stage', (stage) => {
    expect(nagFindings({ stage })).toEqual([]);
  });

  it('reports no unsuppressed finding with a webhook (and its signing secret)', () => {
    expect(nagFindings({ stage: 'prod', webhookUrl: 'https://hooks.example.com/sluice' })).toEqual([]);
  });

  it('reports no unsuppressed finding without the WAF web ACL (-c waf=false, LocalStack community)', () => {
    expect(nagFindings({ stage: 'dev', waf: 'false' })).toEqual([]);
  });

  // `npm start`'s synth skips this check (local/synth.ts LOCAL_SYNTH_SKIPPED_CHECKS): these tests run it.
  it("also fails on aws-cdk-lib's built-in CloudFormation validation, so a template CloudFormation would reject is caught", () => {
    const findings = nagFindings({ stage: 'dev' }, ({ stateful }) => {
      new CfnResource(stateful, 'Invalid', { type: 'AWS::SQS::Queue', properties: { VisibilityTimeout: 'soon' } });
    });
    expect(findings).toEqual(['F3012 at Stateful/Invalid']);
  });

  it('catches a queue without a DLQ or TLS, so the check above can fail', () => {
    const findings = nagFindings({ stage: 'dev' }, ({ stateful }) => new sqs.Queue(stateful, 'Unsafe'));
    expect(findings).toEqual(expect.arrayContaining(['AwsSolutions-SQS3 at Stateful/Unsafe/Resource', 'AwsSolutions-SQS4 at Stateful/Unsafe/Resource']));
  });
});
