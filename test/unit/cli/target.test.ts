import { InvalidArgumentError } from 'commander';
import { endpointOf, endpointUrl, sdkConfig } from '../../../cli/target';

describe('the target flags', () => {
  it('set only what they are given, leaving the rest to the SDK (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL)', () => {
    expect(sdkConfig({})).toEqual({});
    expect(sdkConfig({ profile: 'ops', region: 'eu-west-1', endpointUrl: 'http://localhost:4566', stage: 'dev', outputs: 'f' })).toEqual({
      profile: 'ops',
      region: 'eu-west-1',
      endpoint: 'http://localhost:4566',
    });
  });

  it('--endpoint-url wins over AWS_ENDPOINT_URL; neither means AWS itself', () => {
    expect(endpointOf({ endpointUrl: 'http://flag:1' }, { AWS_ENDPOINT_URL: 'http://env:2' })).toBe('http://flag:1');
    expect(endpointOf({}, { AWS_ENDPOINT_URL: 'http://env:2' })).toBe('http://env:2');
    expect(endpointOf({}, {})).toBeUndefined();
  });

  it.each(['localhost:4566', 'ftp://x', 'nope'])('refuses --endpoint-url %j', (value) => {
    expect(() => endpointUrl(value)).toThrow(new InvalidArgumentError(`must be an http(s) URL such as http://localhost:4566 (got "${value}")`));
  });
});
