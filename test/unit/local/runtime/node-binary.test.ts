import * as path from 'node:path';
import { chooseNodeBinary, nodeMajorOf, runtimePackageName, type NodeHost } from '../../../../local/runtime/node-binary';

const nodeModulesDir = '/app/node_modules';
const linuxX64: NodeHost = { platform: 'linux', arch: 'x64', nodeVersion: 'v20.20.2', execPath: '/usr/bin/node' };
const installed =
  (...packages: string[]) =>
  (file: string) =>
    packages.some((name) => file === path.join(nodeModulesDir, name, 'bin', 'node'));

describe('chooseNodeBinary', () => {
  it('runs nodejs24.x on the Node 24 package for the host platform and CPU', () => {
    const choice = chooseNodeBinary({ functionName: 'ingest', runtime: 'nodejs24.x', nodeModulesDir }, linuxX64, installed('lambda-runtime-node24-linux-x64'));
    expect(choice).toEqual({ ok: true, execPath: '/app/node_modules/lambda-runtime-node24-linux-x64/bin/node', major: 24, source: 'package', notices: [] });
  });

  it('picks the package of the major the runtime names, not another installed one', () => {
    const exists = installed('lambda-runtime-node22-linux-x64', 'lambda-runtime-node24-linux-x64');
    expect(chooseNodeBinary({ functionName: 'f', runtime: 'nodejs22.x', nodeModulesDir }, linuxX64, exists)).toMatchObject({
      execPath: expect.stringContaining('node22-linux-x64'),
      major: 22,
    });
  });

  it('runs an arm64 function on the x64 build on an x64 host and says so', () => {
    const choice = chooseNodeBinary(
      { functionName: 'ingest', runtime: 'nodejs24.x', architecture: 'arm64', nodeModulesDir },
      linuxX64,
      installed('lambda-runtime-node24-linux-x64'),
    );
    expect(choice).toMatchObject({ ok: true, source: 'package', execPath: expect.stringContaining('node24-linux-x64') });
    expect(choice.ok && choice.notices).toEqual(['function ingest is arm64 in the template; it runs as x64 on this x64 machine (same Node.js, other CPU)']);
  });

  it('uses the arm64 package on an arm64 host without a notice', () => {
    const host = { ...linuxX64, arch: 'arm64' };
    const choice = chooseNodeBinary(
      { functionName: 'f', runtime: 'nodejs24.x', architecture: 'arm64', nodeModulesDir },
      host,
      installed('lambda-runtime-node24-linux-arm64'),
    );
    expect(choice).toMatchObject({ ok: true, source: 'package', execPath: expect.stringContaining('node24-linux-arm64'), notices: [] });
  });

  it('falls back to the host Node when no package exists for the platform, naming what was asked and what runs', () => {
    const host = { ...linuxX64, platform: 'darwin', arch: 'arm64' };
    const choice = chooseNodeBinary(
      { functionName: 'ingest', runtime: 'nodejs24.x', architecture: 'arm64', nodeModulesDir },
      host,
      installed('lambda-runtime-node24-linux-x64'),
    );
    expect(choice).toMatchObject({ ok: true, source: 'host', execPath: '/usr/bin/node', major: 24 });
    expect(choice.ok && choice.notices.join('\n')).toMatch(
      /ingest asks for nodejs24\.x, but no Node\.js 24 binary is installed for darwin-arm64 \(npm package lambda-runtime-node24-darwin-arm64 not found .*\); it runs on this machine's Node\.js v20\.20\.2 instead, so Node\.js 24 features and removals do not apply locally/,
    );
  });

  it.each(['python3.12', 'java21', 'provided.al2023', ''])('refuses runtime %p, naming the function and the runtime', (runtime) => {
    const choice = chooseNodeBinary({ functionName: 'legacy', runtime, nodeModulesDir }, linuxX64, () => true);
    expect(choice.ok).toBe(false);
    expect(!choice.ok && choice.reason).toContain(`function legacy uses runtime "${runtime || '(none)'}", which the local cloud cannot run`);
  });
});

describe('nodeMajorOf / runtimePackageName', () => {
  it('reads the major of a Node.js runtime identifier only', () => {
    expect([nodeMajorOf('nodejs24.x'), nodeMajorOf('nodejs22.x'), nodeMajorOf('nodejs'), nodeMajorOf('python3.12')]).toEqual([24, 22, undefined, undefined]);
  });

  it('names the aliases package.json installs', () => {
    expect(runtimePackageName(24, 'linux', 'arm64')).toBe('lambda-runtime-node24-linux-arm64');
  });
});
