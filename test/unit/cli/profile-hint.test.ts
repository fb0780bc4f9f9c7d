import { withProfileHint } from '../../../cli/context';
import { CliError } from '../../../cli/errors';

describe('credentials errors with --profile', () => {
  const sdkError = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });

  it('name the profile and where it must be', () => {
    const hinted = withProfileHint(sdkError, 'ops');
    expect(hinted).toBeInstanceOf(CliError);
    expect((hinted as Error).message).toMatch(
      /^no credentials for profile ops \(--profile\): Could not load credentials from any providers; check that \S+ has \[profile ops\] or the credentials file \[ops\], or run aws sso login --profile ops$/,
    );
    expect((hinted as Error).cause).toBe(sdkError);
  });

  it('leave other errors, and credentials errors without --profile, as they are', () => {
    const other = new Error('boom');
    expect(withProfileHint(other, 'ops')).toBe(other);
    expect(withProfileHint(sdkError, undefined)).toBe(sdkError);
  });
});
