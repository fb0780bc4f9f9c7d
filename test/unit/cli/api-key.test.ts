import { DEFAULT_API_KEY, resolveApiKey } from '../../../cli/api-key';
import { CliError } from '../../../cli/errors';
import { parseOutputs } from '../../../cli/outputs';

const deployed = parseOutputs(
  { 'sluice-dev-stateless': { ApiUrl: 'https://x.execute-api.eu-west-1.amazonaws.com/dev/', ApiKeyId: 'k3y1d' } },
  '.sluice/outputs.dev.json',
);
const local = { ...deployed, localCloud: true };

describe('the API key send uses', () => {
  it('SLUICE_API_KEY first', async () => {
    const read = jest.fn();
    await expect(resolveApiKey(deployed, {}, { SLUICE_API_KEY: 'mine' }, read)).resolves.toBe('mine');
    expect(read).not.toHaveBeenCalled();
  });

  it('the local key on the local cloud, without asking API Gateway', async () => {
    const read = jest.fn();
    await expect(resolveApiKey(local, {}, {}, read)).resolves.toBe(DEFAULT_API_KEY);
    expect(read).not.toHaveBeenCalled();
  });

  it("a deployed stage's key through its ApiKeyId output, with the target's profile and region", async () => {
    const read = jest.fn(async () => 'secret-value');
    await expect(resolveApiKey(deployed, { profile: 'ops', region: 'eu-west-1' }, {}, read)).resolves.toBe('secret-value');
    expect(read).toHaveBeenCalledWith('k3y1d', { profile: 'ops', region: 'eu-west-1' });
  });

  it('names the key, the file and the way out when API Gateway refuses', async () => {
    const denied = Object.assign(new Error('User is not authorized to perform: apigateway:GET'), { name: 'AccessDeniedException' });
    const result = resolveApiKey(deployed, {}, {}, async () => Promise.reject(denied));
    await expect(result).rejects.toThrow(CliError);
    await expect(resolveApiKey(deployed, {}, {}, async () => Promise.reject(denied))).rejects.toThrow(
      'cannot read the API key k3y1d (output ApiKeyId in .sluice/outputs.dev.json) through API Gateway (AccessDeniedException: User is not authorized to perform: apigateway:GET); ' +
        "check --profile/--region (it needs apigateway:GET on /apikeys), or set SLUICE_API_KEY to the key's value",
    );
  });

  it('a key without a value', async () => {
    await expect(resolveApiKey(deployed, {}, {}, async () => undefined)).rejects.toThrow(
      "API key k3y1d (output ApiKeyId in .sluice/outputs.dev.json) has no value; set SLUICE_API_KEY to the key's value",
    );
  });

  it('the local key for outputs without ApiKeyId', async () => {
    await expect(resolveApiKey(parseOutputs({ ApiUrl: 'http://localhost:3000/' }, 'f'), {}, {}, jest.fn())).resolves.toBe(DEFAULT_API_KEY);
  });
});
