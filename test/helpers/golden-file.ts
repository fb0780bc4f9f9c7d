import * as fs from 'node:fs';
import * as path from 'node:path';

/** True on a CI runner: `CI` is set to anything but "", "0" or "false" (GitHub Actions, GitLab and most others set CI=true). */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

/**
 * The golden file's text, to compare with what the code renders now ("(missing)" if there is none).
 * With `<updateVariable>=1` it is rewritten from `rendered` first, so a developer can accept a change;
 * in CI that is refused with an error, because a check that rewrites its own expectation cannot fail.
 */
export function readGoldenFile(file: string, rendered: string, updateVariable: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env[updateVariable] === '1') {
    if (isCi(env)) {
      throw new Error(
        `${updateVariable}=1 is set, but golden files are not rewritten in CI (CI=${env.CI}): the check would compare ` +
          `${path.basename(file)} with itself and could not fail. Unset ${updateVariable} in CI; regenerate the file locally and commit it.`,
      );
    }
    fs.writeFileSync(file, rendered);
  }
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '(missing)';
}
