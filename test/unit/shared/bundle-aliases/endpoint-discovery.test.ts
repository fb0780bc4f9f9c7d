import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { NODE_ENDPOINT_DISCOVERY_CONFIG_OPTIONS, resolveEndpointDiscoveryConfig } from '../../../../lambdas/shared/bundle-aliases/endpoint-discovery';

describe('endpoint-discovery stand-in (bundled in place of @aws-sdk/middleware-endpoint-discovery)', () => {
  it('gives the client config the keys the SDK gives it, from the setting the client was given', async () => {
    const ctor = class DescribeEndpoints {};
    const given = resolveEndpointDiscoveryConfig({ endpointDiscoveryEnabled: true }, { endpointDiscoveryCommandCtor: ctor });
    expect(given).toMatchObject({ endpointDiscoveryCommandCtor: ctor, isClientEndpointDiscoveryEnabled: true });
    await expect(given.endpointDiscoveryEnabled!()).resolves.toBe(true);

    const provider = async () => undefined;
    const defaulted = resolveEndpointDiscoveryConfig({ endpointDiscoveryEnabledProvider: provider }, { endpointDiscoveryCommandCtor: ctor });
    expect(defaulted).toMatchObject({ endpointDiscoveryEnabled: provider, isClientEndpointDiscoveryEnabled: false });
    expect(NODE_ENDPOINT_DISCOVERY_CONFIG_OPTIONS.environmentVariableSelector()).toBeUndefined();
  });

  // The premise of the stand-in: the SDK's DynamoDB client resolves the setting but no command uses
  // it. With discovery switched on, a GetItem must still be the only request (no DescribeEndpoints first).
  it('is safe because the DynamoDB client sends no DescribeEndpoints even with discovery on', async () => {
    const targets: string[] = [];
    const server = http.createServer((req, res) => {
      targets.push(String(req.headers['x-amz-target']));
      req.resume().on('end', () => {
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const dynamo = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      endpointDiscoveryEnabled: true,
    });
    try {
      await dynamo.send(new GetItemCommand({ TableName: 't', Key: { id: { S: '1' } } }));
    } finally {
      dynamo.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
    expect(targets).toEqual(['DynamoDB_20120810.GetItem']);
  });
});
