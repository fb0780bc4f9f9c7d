import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** What a synth depends on, relative to the project root. */
export const SYNTH_INPUTS = ['bin', 'lib', 'lambdas', 'cdk.json', 'package-lock.json'];

function newestMtimeMs(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtimeMs(path.join(target, entry.name)));
  }
  return newest;
}

/**
 * Whether `cdk.out` must be synthesized again: it has no manifest, or a file under bin/, lib/,
 * lambdas/, cdk.json or package-lock.json (or one of `inputs`, for another app) is newer than it.
 */
export function isSynthStale(projectRoot: string, cloudAssemblyDir: string, inputs: readonly string[] = SYNTH_INPUTS): boolean {
  const manifest = path.join(cloudAssemblyDir, 'manifest.json');
  if (!existsSync(manifest)) return true;
  const synthesizedAt = statSync(manifest).mtimeMs;
  return inputs.some((input) => newestMtimeMs(path.join(projectRoot, input)) > synthesizedAt);
}

/**
 * Runs `cdk synth --quiet` (no notices, no version reporting, CI mode) into `cloudAssemblyDir`,
 * for cdk.json's app or, when `app` is given, that app command (e.g. the conformance probe app).
 *
 * @throws with the CLI's output when the synth fails
 */
export async function synth(
  projectRoot: string,
  cloudAssemblyDir: string,
  context: Readonly<Record<string, string>> = {},
  app?: string,
): Promise<void> {
  const cdkBin = path.join(projectRoot, 'node_modules', 'aws-cdk', 'bin', 'cdk');
  const args = [
    cdkBin,
    'synth',
    '--quiet',
    '--ci',
    '--no-notices',
    '--no-version-reporting',
    ...(app ? ['--app', app] : []),
    '--output',
    cloudAssemblyDir,
    ...Object.entries(context).flatMap(([key, value]) => ['--context', `${key}=${value}`]),
  ];
  const child = spawn(process.execPath, args, {
    cwd: projectRoot,
    env: { ...process.env, CI: 'true', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`cdk synth failed (exit code ${code}):\n${output.trim()}`);
}
