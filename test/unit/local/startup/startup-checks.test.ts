import net from 'node:net';
import { JavaMissingError } from '../../../../local/emulators/dynamodb';
import { assertPortsFree, explainListenError, portInUseMessage, PortInUseError } from '../../../../local/startup-checks';

const aws = { port: 4566, envVar: 'SLUICE_AWS_PORT', role: 'AWS endpoint' };

describe('portInUseMessage', () => {
  it('names the port, its usual holders and the variables that move it', () => {
    const message = portInUseMessage(aws);
    expect(message).toContain('port 4566 (the AWS endpoint) is already in use');
    expect(message).toContain('another `npm start`');
    expect(message).toContain('LocalStack');
    expect(message).toContain('SLUICE_AWS_PORT=<port> npm start');
    expect(message).toContain('SLUICE_API_PORT');
  });

  it('names the API port variable for the API', () => {
    expect(portInUseMessage({ port: 3000, envVar: 'SLUICE_API_PORT', role: 'API' })).toContain('SLUICE_API_PORT=<port> npm start');
  });
});

describe('assertPortsFree', () => {
  it('fails with PortInUseError naming a port a real server holds, and passes for a free one', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as net.AddressInfo;
    try {
      const error = await assertPortsFree([{ port, envVar: 'SLUICE_API_PORT', role: 'API' }]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PortInUseError);
      expect((error as Error).message).toContain(`port ${port} (the API) is already in use`);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
    await expect(
      assertPortsFree([
        { port, envVar: 'SLUICE_API_PORT', role: 'API' },
        { ...aws, port: 0 },
      ]),
    ).resolves.toBeUndefined();
  });
});

describe('explainListenError', () => {
  it('turns a late EADDRINUSE for a known port into PortInUseError and leaves other errors alone', () => {
    const late = Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:4566'), { code: 'EADDRINUSE', port: 4566 });
    expect(explainListenError(late, [aws])).toBeInstanceOf(PortInUseError);
    const other = new Error('boom');
    expect(explainListenError(other, [aws])).toBe(other);
  });
});

describe('JavaMissingError', () => {
  it('gives the install line for Debian/Ubuntu and macOS, and JAVA_HOME', () => {
    const { message } = new JavaMissingError();
    expect(message).toContain('apt-get install -y openjdk-17-jre-headless');
    expect(message).toContain('brew install openjdk@17');
    expect(message).toContain('JAVA_HOME');
  });
});
