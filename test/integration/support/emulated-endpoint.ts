import { startAwsEndpoint, type AwsEndpoint } from '../../../local/endpoint';
import { startEmulators, type Emulators, type StartEmulatorsOptions } from '../../../local/emulators';

/** The emulators and the local AWS endpoint in front of them, once {@link useEmulatedEndpoint}'s `beforeAll` ran. */
export interface EmulatedEndpoint {
  readonly emulators: Emulators;
  readonly endpoint: AwsEndpoint;
}

/**
 * Starts the emulators and the local AWS endpoint (on a free port) before the suite, stops both
 * after it. Read the fields inside tests, not at the top of the suite: they are set by `beforeAll`.
 *
 * @example
 * const local = useEmulatedEndpoint();
 * it('answers', async () => { const kinesis = new KinesisClient({ endpoint: local.endpoint.url }); … });
 */
export function useEmulatedEndpoint(options: StartEmulatorsOptions = {}): EmulatedEndpoint {
  const started: { emulators?: Emulators; endpoint?: AwsEndpoint } = {};
  beforeAll(async () => {
    started.emulators = await startEmulators(options);
    started.endpoint = await startAwsEndpoint({ targets: started.emulators.urls, port: 0 });
  }, 60_000);
  afterAll(async () => {
    await started.endpoint?.stop();
    await started.emulators?.stop();
  }, 30_000);
  return {
    get emulators() {
      if (!started.emulators) throw new Error('the emulators are not started yet: read them inside a test');
      return started.emulators;
    },
    get endpoint() {
      if (!started.endpoint) throw new Error('the endpoint is not started yet: read it inside a test');
      return started.endpoint;
    },
  };
}
