import { App } from 'aws-cdk-lib';
import { resolveConfig } from '../../lib/config';
import { synthTemplates } from './sluice-app.fixture';

/**
 * The context the LocalStack deploy passes (scripts/localstack-deploy.sh, docs/localstack.md). The
 * defaults (dashboard, arm64) are checked in stateless-stack.test.ts.
 */
describe('LocalStack context', () => {
  it('-c dashboard=false leaves the dashboard out (LocalStack community CloudFormation lacks it) and keeps the alarms', () => {
    const { stateless } = synthTemplates({ dashboard: 'false', lambdaArchitecture: 'x86_64' });
    stateless.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    expect(Object.keys(stateless.findResources('AWS::CloudWatch::Alarm')).length).toBeGreaterThan(0);
    const functions = Object.values(stateless.findResources('AWS::Lambda::Function'));
    expect(functions.length).toBe(10);
    for (const fn of functions) expect(fn.Properties.Architectures).toEqual(['x86_64']);
  });

  it('-c waf=false leaves the WAF web ACL out (LocalStack community lacks WAFv2); cdk-nag.test.ts checks it says why', () => {
    const { stateless } = synthTemplates({ waf: 'false' });
    stateless.resourceCountIs('AWS::WAFv2::WebACL', 0);
    stateless.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
    expect(() => resolveConfig(new App({ context: { waf: 'off' } }).node)).toThrow('waf must be one of true, false (got "off")');
  });

  it('refuses an unknown architecture or dashboard value, naming the value and the fix', () => {
    expect(() => resolveConfig(new App({ context: { lambdaArchitecture: 'amd64' } }).node)).toThrow(
      'lambdaArchitecture must be one of arm64, x86_64 (got "amd64"); pass it with -c lambdaArchitecture=arm64',
    );
    expect(() => resolveConfig(new App({ context: { dashboard: 'no' } }).node)).toThrow('dashboard must be one of true, false (got "no")');
  });
});
